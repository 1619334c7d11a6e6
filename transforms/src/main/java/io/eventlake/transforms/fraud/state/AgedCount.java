package io.eventlake.transforms.fraud.state;

/**
 * A key's transactions by age: a ring of fixed-width buckets of event time holding the counts of the newest buckets,
 * and an exponentially decayed count of every transaction older than the ring. {@link #weighed} weighs each bucket by
 * its age, so a caller can count the old transactions in full and the recent ones only in part (the share of them
 * whose fate is known by now). The ring's newest bucket is the latest event's; a late event counts in its own bucket
 * while the ring holds it, in the old count after. About 40 bytes plus 4 per bucket.
 */
public final class AgedCount extends KeyedState {

    private final int[] counts;
    private long newest = Long.MIN_VALUE;
    private long oldRefMs = Long.MIN_VALUE;
    private double old;

    public AgedCount(int buckets) {
        this.counts = new int[buckets];
    }

    /** Adds an event at {@code timeMs}, moving the ring forward first when the event is the latest. */
    public void add(long timeMs, long bucketMs, double lnTwoOverHalfLife) {
        long bucket = Math.floorDiv(timeMs, bucketMs);
        if (newest == Long.MIN_VALUE) {
            newest = bucket;
        } else if (bucket > newest) {
            advance(bucket, bucketMs, lnTwoOverHalfLife);
        }
        if (bucket > newest - counts.length) {
            counts[(int) Math.floorMod(bucket, (long) counts.length)]++;
        } else {
            addOld(1, bucket * bucketMs + bucketMs / 2, lnTwoOverHalfLife);
        }
    }

    /** Folds the buckets that leave the ring when its newest bucket becomes {@code bucket}. */
    private void advance(long bucket, long bucketMs, double lnTwoOverHalfLife) {
        int n = counts.length;
        long firstLeaving = newest - n + 1;
        long lastLeaving = Math.min(bucket - n, newest);
        for (long b = firstLeaving; b <= lastLeaving; b++) {
            int i = (int) Math.floorMod(b, (long) n);
            if (counts[i] != 0) {
                addOld(counts[i], b * bucketMs + bucketMs / 2, lnTwoOverHalfLife);
                counts[i] = 0;
            }
        }
        newest = bucket;
    }

    private void addOld(int count, long midMs, double lnTwoOverHalfLife) {
        if (oldRefMs == Long.MIN_VALUE) {
            oldRefMs = midMs;
            old = count;
        } else if (midMs > oldRefMs) {
            old = old * Math.exp(-(midMs - oldRefMs) * lnTwoOverHalfLife) + count;
            oldRefMs = midMs;
        } else {
            old += count * Math.exp(-(oldRefMs - midMs) * lnTwoOverHalfLife);
        }
    }

    /**
     * The count as seen at {@code timeMs} (the latest event's time if later): a transaction {@code a} buckets older
     * than the event's bucket (its age taken at its bucket's middle) weighs {@code weights[a]}, where the caller has
     * folded in both the decay of {@code a} buckets and the share of such transactions it counts; past the array,
     * only the decay ({@code lnTwoOverHalfLife}, half as much every half-life). The whole is decayed from the newest
     * bucket's middle to the event's time. Transactions older than the ring count in full, decayed.
     */
    public double weighed(long timeMs, long bucketMs, double lnTwoOverHalfLife, double[] weights) {
        if (newest == Long.MIN_VALUE) {
            return 0;
        }
        long newestMid = newest * bucketMs + bucketMs / 2;
        long at = Math.max(timeMs, newestMid);
        int n = counts.length;
        // Ages are counted from the event's bucket when it is later than the ring's newest.
        long shift = Math.max(0, Math.floorDiv(timeMs, bucketMs) - newest);
        int i = (int) Math.floorMod(newest, (long) n);
        double ring = 0;
        for (int a = 0; a < n; a++) {
            int c = counts[i];
            if (c != 0) {
                long age = a + shift;
                ring += c * (age < weights.length ? weights[(int) age]
                    : Math.exp(-age * bucketMs * lnTwoOverHalfLife));
            }
            i = i == 0 ? n - 1 : i - 1;
        }
        double total = ring * Math.exp(-(at - newestMid - shift * bucketMs) * lnTwoOverHalfLife);
        if (oldRefMs != Long.MIN_VALUE) {
            total += old * Math.exp(-(at - oldRefMs) * lnTwoOverHalfLife);
        }
        return total;
    }
}
