package io.eventlake.transforms.fraud.rules;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * How late fraud reports come, learned from the reports themselves: a histogram of their delays (reported time minus
 * the transaction's time) in buckets of {@code bucketMs}, and from it, for a transaction of a given age, the share of
 * the frauds that would have been reported by now ({@link #known}). A report joins the histogram only once the events
 * judged reach its reported time, so how far ahead reports are read changes nothing. Until {@value #MIN_REPORTS}
 * reports are known the shares are 1 (every transaction counts as known, as if reports came at once: the share
 * without delay awareness), so a handful of reports cannot swing them. The delays seen are those short enough to have
 * been reported yet (early in a stream, only short ones): the shares err towards 1.
 */
final class ReportDelays {

    /** Reports seen before their delays are used. */
    static final int MIN_REPORTS = 10;

    private final long bucketMs;
    private final long[] histogram;
    private final double[] known;
    /** For ages 0 to twice the buckets: the decay of that many buckets times the share known at that age. */
    private final double[] weights;
    private final PriorityQueue<long[]> pending = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final double step;
    private long seen;
    private double peak = 1;

    /**
     * {@code buckets} ages of {@code bucketMs} each; a transaction older than all of them counts as known. Weights
     * halve every half-life ({@code lnTwoOverHalfLife}).
     */
    ReportDelays(int buckets, long bucketMs, double lnTwoOverHalfLife) {
        this.bucketMs = bucketMs;
        this.step = Math.exp(-bucketMs * lnTwoOverHalfLife);
        this.histogram = new long[buckets];
        this.known = new double[buckets];
        this.weights = new double[2 * buckets];
        Arrays.fill(known, 1);
        fillWeights();
    }

    /** A report read: it joins the histogram once {@link #advance} reaches its reported time. */
    void add(long eventTimeMs, long reportedTimeMs) {
        pending.add(new long[] {reportedTimeMs, Math.max(0, reportedTimeMs - eventTimeMs)});
    }

    /** Takes in the reports reported at or before {@code timeMs}. */
    void advance(long timeMs) {
        boolean changed = false;
        while (!pending.isEmpty() && pending.peek()[0] <= timeMs) {
            long delay = pending.poll()[1];
            histogram[(int) Math.min(delay / bucketMs, histogram.length - 1)]++;
            seen++;
            changed = true;
        }
        if (changed && seen >= MIN_REPORTS) {
            recompute();
        }
    }

    /**
     * For the ring's bucket {@code a} (0 the newest), the share of its frauds reported by now: the reports seen whose
     * delay is below the bucket's middle age, those of its own age counting half.
     */
    double[] known() {
        return known;
    }

    /**
     * The largest weight a transaction's fate has at any age: its decay times the share known at that age. Shares
     * divide their counts by it, so the transactions whose fate became known most recently count about once each
     * (however late reports come and however short the half-life), and a share's prior is in those units.
     */
    double peak() {
        return peak;
    }

    /**
     * Per age in buckets, the decay of that age times the share known at it (1 past the buckets): what
     * {@link io.eventlake.transforms.fraud.state.AgedCount#weighed} multiplies each bucket's count by.
     */
    double[] weights() {
        return weights;
    }

    private void recompute() {
        double total = seen;
        double below = 0;
        for (int a = 0; a < known.length; a++) {
            known[a] = (below + histogram[a] / 2.0) / total;
            below += histogram[a];
        }
        fillWeights();
    }

    private void fillWeights() {
        double decay = 1;
        peak = 0;
        for (int a = 0; a < weights.length; a++) {
            weights[a] = decay * (a < known.length ? known[a] : 1);
            peak = Math.max(peak, weights[a]);
            decay *= step;
        }
    }

    void clear() {
        pending.clear();
        Arrays.fill(histogram, 0);
        Arrays.fill(known, 1);
        seen = 0;
        fillWeights();
    }
}
