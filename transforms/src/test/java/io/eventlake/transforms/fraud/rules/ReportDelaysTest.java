package io.eventlake.transforms.fraud.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportDelaysTest {

    private static final long B = 1000;

    @Test
    void everyTransactionCountsAsKnownUntilReportsAreSeen() {
        ReportDelays d = new ReportDelays(4, B, 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, d.known());
        assertEquals(1, d.peak());
    }

    /** A report joins only once the events reach its reported time, however early it was read. */
    @Test
    void aReportCountsFromItsReportedTime() {
        ReportDelays d = new ReportDelays(4, B, 0);
        for (int i = 0; i < 90; i++) {
            d.add(0, 2 * B + 500);
        }
        d.advance(2 * B + 499);
        assertArrayEquals(new double[] {1, 1, 1, 1}, d.known());
        d.advance(2 * B + 500);
        // 90 reports 2.5 buckets late: buckets 0-1 know none, bucket 2 (delays of its own age) half.
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, d.known(), 1e-9);
        assertEquals(1, d.peak(), 1e-9);
    }

    @Test
    void thePeakIsTheLargestDecayedKnownShare() {
        ReportDelays d = new ReportDelays(4, B, Math.log(2) / B);
        for (int i = 0; i < 90; i++) {
            d.add(0, 2 * B + 500);
        }
        d.advance(3 * B);
        // Decays 1, 1/2, 1/4, 1/8 and past the ring 1/16: 0, 0, 0.125, 0.125, 0.0625.
        assertEquals(0.125, d.peak(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 0.125, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125}, d.weights(), 1e-12);
    }

    @Test
    void aFewReportsChangeNothing() {
        ReportDelays d = new ReportDelays(4, B, 0);
        for (int i = 0; i < ReportDelays.MIN_REPORTS - 1; i++) {
            d.add(0, 3 * B);
        }
        d.advance(3 * B);
        assertArrayEquals(new double[] {1, 1, 1, 1}, d.known());
        d.add(0, 3 * B);
        d.advance(3 * B);
        assertArrayEquals(new double[] {0, 0, 0, 0.5}, d.known(), 1e-9);
    }
}
