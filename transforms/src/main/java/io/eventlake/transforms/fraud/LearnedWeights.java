package io.eventlake.transforms.fraud;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.rules.ShareRule;
import io.eventlake.transforms.fraud.state.KeyHash;

/**
 * Rule weights learned online from the confirmed reports ({@code feedback.learn.weights}): a report is a delayed
 * label, so each rule's firings can be scored against the reports once they are old enough to have been reported,
 * and a rule whose firings the reports confirm more often than its default weight says counts more. No label is used
 * before its reported time, and nothing is trained offline.
 *
 * <p>Every record on which a rule that can still rise (weight below 1) fired is kept (its card's hash, event time,
 * the rules that fired and their strengths) until it is older than the age by which {@value #HORIZON_SHARE} of the
 * reports seen came; a report (matched on card and the nearest event time within {@code matchMs}) marks its record
 * from its reported time on. Then
 * the record counts for each rule that fired on it: its strength into the rule's firings, and, if reported, 1 into
 * its confirmed firings. A rule's learned weight is
 * {@code (prior x default + confirmed / coverage) / (prior + firings)}: its default weight for the first
 * {@code prior} firings, the confirmed share after. {@code coverage}, the share of frauds that get reported at all,
 * is not known (chargebacks miss some frauds); it is estimated as the confirmed share of the most often confirmed
 * threshold rule with at least {@value #MIN_FIRED} firings, within [{@value #MIN_COVERAGE}, 1] (1 until a rule has
 * that many), so that partial reporting scales every rule alike instead of lowering all of them.
 *
 * <p>The learned weight only ever raises a rule: the weight used is the larger of the default and the learned one.
 * Lowering was measured (doc/fraud.md): it helps a stream where a rule is noise, but with partial reporting the
 * coverage estimate moves early in a stream and pushed rules whose firings were mostly fraud under the flag
 * threshold. Records past {@code maxFired} leave early, oldest first (counted as not reported: they can only hold a
 * weight back). Reports are kept by reported time until the records judged reach it, so how far ahead reports are
 * read changes nothing. Not thread-safe: the task thread's.
 */
final class LearnedWeights {

    static final long DAY_MS = 24 * 60 * 60 * 1000L;
    /** Delays are counted in days up to this many; longer ones count in the last day. */
    static final int DELAY_DAYS = 60;
    /** Reports seen before any record is scored: until then no delay is known. */
    static final int MIN_REPORTS = 10;
    /** A record is scored once it is older than the age by which this share of the reports came. */
    static final double HORIZON_SHARE = 0.95;
    /** Firings of a threshold rule before its confirmed share estimates the coverage. */
    static final int MIN_FIRED = 50;
    /** The least share of frauds assumed reported: a coverage estimate is never below it. */
    static final double MIN_COVERAGE = 0.5;
    /**
     * The lower edges of the bins a confirmed share's strength is calibrated in; a strength below the first is not
     * calibrated (nor its record kept for it).
     */
    static final double[] SHARE_BINS = {0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75};
    /** A share is calibrated in a cell: its bin within its context ({@link ShareRule#context()}). */
    static final int CELLS = ShareRule.CONTEXTS * SHARE_BINS.length;

    private final double[] defaults;
    private final double[] weights;
    /** Whether a rule's strength is a 0-1 threshold level (false: an observed rate, not used for the coverage). */
    private final boolean[] thresholdRule;
    private final double prior;
    private final int maxFired;
    private final double[] firings;
    private final double[] confirmed;
    private final ArrayDeque<Fired> records = new ArrayDeque<>();
    /** The waiting records by card and bucket of event time ({@link #matchMs} wide), chained on a shared bucket. */
    private final Map<Long, Fired> byKey = new HashMap<>();
    /** How far a report's event time may be from its record's (reports that round the time still match). */
    private final long matchMs;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    private final long[] delays = new long[DELAY_DAYS + 1];
    private final long[] hashed = new long[2];
    private long delaysSeen;
    private long now = Long.MIN_VALUE;
    private double coverage = 1;
    /** The age past which a record is scored ({@link #horizonMs()}), recomputed only when reports come in. */
    private long scoreAfterMs = Long.MAX_VALUE;
    private int mostWaiting;
    /** The rules whose weight can rise: a configured weight of 1 is already the most a rule can have. */
    private final int raisable;
    /** The confirmed-share rules whose strengths are calibrated (0 when not calibrating). */
    private final int calibrated;
    /** Per confirmed-share rule and bin of its strength: records scored, their strengths, and the confirmed ones. */
    private final double[][] binRecords;
    private final double[][] binStrengths;
    private final double[][] binConfirmed;
    /** Per rule and bin: the strength a record of that bin is taken at (at least its own, see {@link #strength}). */
    private final double[][] binLearned;

    /** A record on which rules fired, waiting to be old enough to score them. */
    private static final class Fired {
        final long cardHash;
        final long cardCheck;
        final long timeMs;
        final int mask;
        final float[] strengths;
        /** Per rule of the mask, the calibration cell of a confirmed share (unused for other rules). */
        final byte[] cells;
        boolean reported;
        /** The next record of the same card and time bucket. */
        Fired next;

        Fired(long cardHash, long cardCheck, long timeMs, int mask, float[] strengths, byte[] cells) {
            this.cardHash = cardHash;
            this.cardCheck = cardCheck;
            this.timeMs = timeMs;
            this.mask = mask;
            this.strengths = strengths;
            this.cells = cells;
        }
    }

    /** A report read, applied once the records judged reach its reported time. */
    private record Pending(long reportedTimeMs, long eventTimeMs, long cardHash, long cardCheck)
        implements Comparable<Pending> {

        @Override
        public int compareTo(Pending o) {
            return Long.compare(reportedTimeMs, o.reportedTimeMs);
        }
    }

    /**
     * @param defaults each rule's default weight
     * @param thresholdRule whether each rule's strength when fired is 1 (false for the confirmed-share rules)
     * @param prior how many firings the default weight counts for
     * @param maxFired records kept at most
     */
    LearnedWeights(double[] defaults, boolean[] thresholdRule, double prior, int maxFired) {
        this(defaults, thresholdRule, prior, maxFired, 0);
    }

    /**
     * @param matchMs a report matches the waiting record of its card whose event time is nearest its own, within this
     *     many ms (0: the same millisecond)
     */
    LearnedWeights(double[] defaults, boolean[] thresholdRule, double prior, int maxFired, long matchMs) {
        this(defaults, thresholdRule, prior, maxFired, matchMs, false);
    }

    /**
     * @param calibrateShares whether the confirmed-share rules' strengths are calibrated too ({@link #strength})
     */
    LearnedWeights(double[] defaults, boolean[] thresholdRule, double prior, int maxFired, long matchMs,
                   boolean calibrateShares) {
        this.matchMs = matchMs;
        this.defaults = defaults.clone();
        this.weights = defaults.clone();
        this.thresholdRule = thresholdRule.clone();
        this.prior = prior;
        this.maxFired = maxFired;
        this.firings = new double[defaults.length];
        this.confirmed = new double[defaults.length];
        int bits = 0;
        for (int i = 0; i < defaults.length; i++) {
            bits |= defaults[i] < 1 ? 1 << i : 0;
        }
        this.raisable = bits;
        int shares = 0;
        for (int i = 0; i < defaults.length; i++) {
            shares |= calibrateShares && !thresholdRule[i] ? 1 << i : 0;
        }
        this.calibrated = shares;
        this.binRecords = new double[defaults.length][CELLS];
        this.binStrengths = new double[defaults.length][CELLS];
        this.binConfirmed = new double[defaults.length][CELLS];
        this.binLearned = new double[defaults.length][CELLS];
    }

    /**
     * The strength a confirmed-share rule adds with: its own {@code strength} (the share's lower bound, or the share),
     * or, when higher, what the reports showed records of the same bin of strength to be: {@code (prior x mean
     * strength + confirmed / coverage) / (prior + records)}. A share is the fraud rate of a merchant's, a card's or an
     * amount band's past; how often a payment with that share is itself fraud depends on the stream (a compromised
     * terminal's next payments are almost all fraud, whatever the bound of a few known ones says), and the reports
     * tell it. Only raised, as weights are. Other rules, and strengths below the first bin, are returned unchanged.
     */
    double strength(int i, double strength) {
        return strength(i, strength, 0);
    }

    /** {@link #strength(int, double)} of a share observed in {@code context} ({@link ShareRule#context()}). */
    double strength(int i, double strength, int context) {
        if ((calibrated & (1 << i)) == 0 || !(strength >= SHARE_BINS[0])) {
            return strength;
        }
        return Math.max(strength, binLearned[i][cell(strength, context)]);
    }

    private static int cell(double strength, int context) {
        return context * SHARE_BINS.length + bin(strength);
    }

    /** The bin of a strength, -1 below the first. */
    private static int bin(double strength) {
        int b = SHARE_BINS.length - 1;
        while (b >= 0 && !(strength >= SHARE_BINS[b])) {
            b--;
        }
        return b;
    }

    /** The weight rule {@code i} adds with: its default, or the learned weight when that is higher. */
    double weight(int i) {
        return weights[i];
    }

    /** A report read from the topic; it counts once the records judged reach its reported time. */
    void report(Report r) {
        if (r.card() == null) {
            return;
        }
        KeyHash.of(r.card(), hashed, 0);
        pending.add(new Pending(r.reportedTimeMs(), r.eventTimeMs(), hashed[0], hashed[1]));
    }

    /** Moves event time to {@code timeMs} (if later): applies the reports due by then and scores old records. */
    void advance(long timeMs) {
        if (timeMs <= now) {
            return;
        }
        now = timeMs;
        boolean reported = false;
        while (!pending.isEmpty() && pending.peek().reportedTimeMs() <= now) {
            Pending p = pending.poll();
            delays[(int) Math.min(Math.max(0, p.reportedTimeMs() - p.eventTimeMs()) / DAY_MS, DELAY_DAYS)]++;
            delaysSeen++;
            reported = true;
            Fired f = match(p.cardHash(), p.cardCheck(), p.eventTimeMs());
            if (f != null) {
                f.reported = true;
            }
        }
        if (reported && delaysSeen >= MIN_REPORTS) {
            scoreAfterMs = horizonMs();
        }
        boolean scored = false;
        while (!records.isEmpty()
            && (records.size() > maxFired || now - records.peekFirst().timeMs > scoreAfterMs)) {
            score(records.pollFirst());
            scored = true;
        }
        if (scored) {
            recompute();
        }
    }

    /**
     * Keeps a record on which the rules of {@code fired} fired with {@code strengths} (per rule, all rules), as far
     * as any of them can rise: a record on which only rules already weighted 1 fired (the confirmed shares, by
     * default) is not kept, unless a calibrated confirmed share reached the first bin on it (fired or not).
     */
    void record(long cardHash, long cardCheck, long timeMs, int fired, double[] strengths) {
        record(cardHash, cardCheck, timeMs, fired, strengths, null);
    }

    /** {@link #record(long, long, long, int, double[])} with each rule's share context (null: all 0). */
    void record(long cardHash, long cardCheck, long timeMs, int fired, double[] strengths, int[] contexts) {
        int mask = fired & raisable;
        if (calibrated != 0) {
            for (int i = 0; i < strengths.length; i++) {
                if ((calibrated & (1 << i)) != 0 && strengths[i] >= SHARE_BINS[0]) {
                    mask |= 1 << i;
                }
            }
        }
        if (mask == 0) {
            return;
        }
        float[] s = new float[Integer.bitCount(mask)];
        byte[] cells = (mask & calibrated) != 0 ? new byte[s.length] : null;
        int j = 0;
        for (int i = 0; i < strengths.length; i++) {
            if ((mask & (1 << i)) != 0) {
                if (cells != null) {
                    // -1: not calibrated, or a share configured below weight 1 that fired under every bin.
                    cells[j] = (calibrated & (1 << i)) != 0 && strengths[i] >= SHARE_BINS[0]
                        ? (byte) cell(strengths[i], contexts == null ? 0 : contexts[i]) : -1;
                }
                s[j++] = (float) strengths[i];
            }
        }
        Fired f = new Fired(cardHash, cardCheck, timeMs, mask, s, cells);
        f.next = byKey.put(key(cardHash, bucket(timeMs)), f);
        records.addLast(f);
        mostWaiting = Math.max(mostWaiting, records.size());
        if (records.size() > maxFired) {
            score(records.pollFirst());
            recompute();
        }
    }

    private void score(Fired f) {
        unlink(f);
        int j = 0;
        for (int i = 0; i < weights.length; i++) {
            if ((f.mask & (1 << i)) != 0) {
                int k = j;
                double strength = f.strengths[j++];
                if ((calibrated & (1 << i)) != 0) {
                    int b = f.cells[k];
                    if (b < 0) {
                        continue;
                    }
                    binRecords[i][b]++;
                    binStrengths[i][b] += strength;
                    binConfirmed[i][b] += f.reported ? 1 : 0;
                    continue;
                }
                firings[i] += strength;
                if (f.reported) {
                    confirmed[i]++;
                }
            }
        }
    }

    private void recompute() {
        double best = Double.NaN;
        for (int i = 0; i < weights.length; i++) {
            if (thresholdRule[i] && firings[i] >= MIN_FIRED) {
                best = Double.isNaN(best) ? confirmed[i] / firings[i] : Math.max(best, confirmed[i] / firings[i]);
            }
        }
        // Until a rule has enough firings, every report is taken as covering all frauds (the smaller raise).
        coverage = Double.isNaN(best) ? 1 : Math.max(MIN_COVERAGE, Math.min(1, best));
        for (int i = 0; i < weights.length; i++) {
            double learned = (prior * defaults[i] + confirmed[i] / coverage) / (prior + firings[i]);
            weights[i] = Math.max(defaults[i], Math.min(1, learned));
            if ((calibrated & (1 << i)) != 0) {
                for (int b = 0; b < CELLS; b++) {
                    double n = binRecords[i][b];
                    double mean = n > 0 ? binStrengths[i][b] / n : SHARE_BINS[b % SHARE_BINS.length];
                    binLearned[i][b] = Math.min(1, (prior * mean + binConfirmed[i][b] / coverage) / (prior + n));
                }
            }
        }
    }

    /** The age by which {@value #HORIZON_SHARE} of the reports seen came, in whole days. */
    private long horizonMs() {
        long want = (long) Math.ceil(delaysSeen * HORIZON_SHARE);
        long below = 0;
        for (int d = 0; d <= DELAY_DAYS; d++) {
            below += delays[d];
            if (below >= want) {
                return (d + 1) * DAY_MS;
            }
        }
        return (DELAY_DAYS + 1) * DAY_MS;
    }

    /**
     * The waiting record of the card (hash and check) whose event time is nearest {@code timeMs}, within
     * {@link #matchMs}; the earlier one on a tie. Null when there is none. A report sent twice finds the same record,
     * which it already marked.
     */
    private Fired match(long cardHash, long cardCheck, long timeMs) {
        Fired best = null;
        long b = bucket(timeMs);
        for (long near = b - (matchMs > 0 ? 1 : 0); near <= b + (matchMs > 0 ? 1 : 0); near++) {
            for (Fired f = byKey.get(key(cardHash, near)); f != null; f = f.next) {
                long gap = Math.abs(f.timeMs - timeMs);
                if (f.cardHash == cardHash && f.cardCheck == cardCheck && gap <= matchMs
                    && (best == null || gap < Math.abs(best.timeMs - timeMs)
                        || gap == Math.abs(best.timeMs - timeMs) && f.timeMs < best.timeMs)) {
                    best = f;
                }
            }
        }
        return best;
    }

    private void unlink(Fired f) {
        long k = key(f.cardHash, bucket(f.timeMs));
        Fired head = byKey.get(k);
        if (head == f) {
            if (f.next == null) {
                byKey.remove(k);
            } else {
                byKey.put(k, f.next);
            }
            return;
        }
        for (Fired prev = head; prev != null; prev = prev.next) {
            if (prev.next == f) {
                prev.next = f.next;
                return;
            }
        }
    }

    private long bucket(long timeMs) {
        return matchMs > 0 ? Math.floorDiv(timeMs, matchMs) : timeMs;
    }

    private static long key(long cardHash, long timeMs) {
        return cardHash ^ (timeMs * 0x9E3779B97F4A7C15L);
    }

    /** The estimated share of frauds reported at all. */
    double coverage() {
        return coverage;
    }

    /** Records waiting to be scored. */
    int waiting() {
        return records.size();
    }

    /** Each rule's weight, confirmed firings and firings, for logs and tools. */
    String describe(List<String> names) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "coverage %.3f, records waiting at most %d",
            coverage, mostWaiting));
        for (int i = 0; i < weights.length; i++) {
            if ((calibrated & (1 << i)) != 0) {
                b.append(", ").append(names.get(i)).append(" by bin");
                for (int k = 0; k < CELLS; k++) {
                    if (binRecords[i][k] > 0) {
                        b.append(String.format(Locale.ROOT, " %d/%.2f:%.3f (%d of %.0f)", k / SHARE_BINS.length,
                            SHARE_BINS[k % SHARE_BINS.length], binLearned[i][k], (long) binConfirmed[i][k],
                            binRecords[i][k]));
                    }
                }
                continue;
            }
            b.append(String.format(Locale.ROOT, ", %s %.3f (%d of %.0f)", names.get(i), weights[i],
                (long) confirmed[i], firings[i]));
        }
        return b.toString();
    }

    void clear() {
        records.clear();
        byKey.clear();
        pending.clear();
        Arrays.fill(delays, 0);
        Arrays.fill(firings, 0);
        Arrays.fill(confirmed, 0);
        for (int i = 0; i < weights.length; i++) {
            Arrays.fill(binRecords[i], 0);
            Arrays.fill(binStrengths[i], 0);
            Arrays.fill(binConfirmed[i], 0);
            Arrays.fill(binLearned[i], 0);
        }
        System.arraycopy(defaults, 0, weights, 0, defaults.length);
        delaysSeen = 0;
        scoreAfterMs = Long.MAX_VALUE;
        now = Long.MIN_VALUE;
        coverage = 1;
        mostWaiting = 0;
    }
}
