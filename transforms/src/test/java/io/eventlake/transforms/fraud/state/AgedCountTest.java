package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AgedCountTest {

    private static final long B = 1000;
    /** No decay: counts are plain counts. */
    private static final double FLAT = 0;

    private static double[] known(double... shares) {
        return shares;
    }

    @Test
    void weighsEachBucketByItsAgesWeight() {
        AgedCount c = new AgedCount(3);
        c.add(2 * B + 10, B, FLAT);
        c.add(1 * B + 10, B, FLAT);
        c.add(1 * B + 20, B, FLAT);
        c.add(0 * B + 10, B, FLAT);
        // At bucket 2: bucket 2 is age 0 (1 transaction), bucket 1 age 1 (2), bucket 0 age 2 (1).
        assertEquals(1 * 0.0 + 2 * 0.5 + 1 * 1.0, c.weighed(2 * B + 500, B, FLAT, known(0, 0.5, 1)), 1e-9);
        assertEquals(4, c.weighed(2 * B + 500, B, FLAT, known(1, 1, 1)), 1e-9);
    }

    @Test
    void anEventInALaterBucketAgesTheRingBeforeItIsAdded() {
        AgedCount c = new AgedCount(3);
        c.add(0, B, FLAT);
        c.add(10, B, FLAT);
        // Seen from bucket 1 (not yet added), bucket 0's two transactions are one bucket old.
        assertEquals(2 * 0.5, c.weighed(B + 1, B, FLAT, known(0, 0.5, 0.75)), 1e-9);
        // From bucket 5 they are past the ring: known in full.
        assertEquals(2, c.weighed(5 * B, B, FLAT, known(0, 0.5, 0.75)), 1e-9);
    }

    @Test
    void bucketsThatLeaveTheRingCountInFull() {
        AgedCount c = new AgedCount(2);
        c.add(0, B, FLAT);
        c.add(B, B, FLAT);
        c.add(5 * B, B, FLAT);
        // Buckets 0 and 1 folded into the old count (known in full), bucket 5 is age 0.
        assertEquals(2, c.weighed(5 * B, B, FLAT, known(0, 0)), 1e-9);
        // A late event older than the ring goes to the old count too.
        c.add(2 * B, B, FLAT);
        assertEquals(3, c.weighed(5 * B, B, FLAT, known(0, 0)), 1e-9);
    }

    @Test
    void countsHalveEveryHalfLifeFromTheirBucketsMiddle() {
        double lnTwoOverHalfLife = Math.log(2) / B;
        AgedCount c = new AgedCount(4);
        c.add(0, B, lnTwoOverHalfLife);
        // Every transaction counted, each bucket of age weighing half the one before.
        double[] all = {1, 0.5, 0.25, 0.125};
        // Bucket 0's middle is B/2: seen at 2.5 B, two half-lives old.
        assertEquals(0.25, c.weighed(5 * B / 2, B, lnTwoOverHalfLife, all), 1e-9);
        c.add(9 * B, B, lnTwoOverHalfLife);
        // Folded at its middle; seen at 9.5 B it is 9 half-lives old; the newest one at its middle weighs 1.
        assertEquals(1 + Math.pow(2, -9), c.weighed(19 * B / 2, B, lnTwoOverHalfLife, all), 1e-9);
    }
}
