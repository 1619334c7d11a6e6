package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.state.KeyHash;

/** Rule weights learned from the reports: {@link LearnedWeights}. */
class LearnedWeightsTest {

    private static final int A = 0;
    private static final int B = 1;
    private static final double[] DEFAULTS = {0.4, 0.8};
    private static final boolean[] THRESHOLD_RULES = {true, true};

    /** One firing of the rules in {@code mask} on card {@code card} at {@code t}, and whether it gets reported. */
    private record Firing(String card, long t, int mask, boolean fraud) {
    }

    /** {@code n} firings of {@code mask}, one an hour from {@code from} on cards {@code prefix + i}. */
    private static List<Firing> firings(String prefix, long from, int n, int mask, int reportedPerTen) {
        List<Firing> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Firing(prefix + i, from + i * HOUR, mask, i % 10 < reportedPerTen));
        }
        return out;
    }

    private static Report report(Firing f, long delayMs) {
        return new Report(f.t(), f.t() + delayMs, null, f.card(), null);
    }

    /** Judges the firings in time order, each fraud reported {@code delayMs} later (read at once), then ages them. */
    private static LearnedWeights run(List<Firing> firings, long delayMs, int maxFired) {
        LearnedWeights w = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, maxFired);
        firings.sort((x, y) -> Long.compare(x.t(), y.t()));
        double[] strengths = {1, 1};
        for (Firing f : firings) {
            w.advance(f.t());
            w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), f.mask(), strengths);
            if (f.fraud()) {
                w.report(report(f, delayMs));
            }
        }
        w.advance(firings.get(firings.size() - 1).t() + 30 * DAY);
        return w;
    }

    /**
     * A weak rule whose firings the reports all confirm counts as much as they show: rule A (default 0.4) fires on
     * 100 records, every one reported a day later; once they are older than the delay, its weight is (20 x 0.4 +
     * 100) / 120 = 0.9, rule B (never fired) keeps its 0.8.
     */
    @Test
    void aRuleWhoseFiringsAreAllConfirmedRisesToWhatTheyShow() {
        LearnedWeights w = run(firings("c", T0, 100, 1 << A, 10), DAY, 100_000);
        assertEquals(1.0, w.coverage(), 1e-9);
        assertEquals((20 * 0.4 + 100) / 120, w.weight(A), 1e-9);
        assertEquals(0.8, w.weight(B), 1e-9);
    }

    /**
     * A rule is never weighted below its configured weight: rule B (0.8) fires on 200 records of which none is
     * reported, rule A on 100 that all are; B stays at 0.8 (learned alone it would be 16 / 220 = 0.07).
     */
    @Test
    void aRuleTheReportsNeverConfirmKeepsItsConfiguredWeight() {
        List<Firing> all = firings("a", T0, 100, 1 << A, 10);
        all.addAll(firings("b", T0 + 30 * 60_000L, 200, 1 << B, 0));
        LearnedWeights w = run(all, DAY, 100_000);
        assertEquals(0.8, w.weight(B), 1e-9);
        assertEquals(0.9, w.weight(A), 1e-9);
    }

    /**
     * Partial reporting scales every rule alike: A fires on 100 records of which 6 in 10 are reported, B on 100 of
     * which 3 in 10 are: the coverage is the best-confirmed rule's, A's 0.6, so A's weight is (8 + 60 / 0.6) / 120 =
     * 0.9 (0.567 if every fraud were taken as reported).
     */
    @Test
    void partialReportingIsReadAsCoverageNotAsWeakerRules() {
        List<Firing> all = firings("a", T0, 100, 1 << A, 6);
        all.addAll(firings("b", T0 + 30 * 60_000L, 100, 1 << B, 3));
        LearnedWeights w = run(all, DAY, 100_000);
        assertEquals(0.6, w.coverage(), 1e-9);
        assertEquals((20 * 0.4 + 60 / 0.6) / 120, w.weight(A), 1e-9);
    }

    /**
     * How far ahead reports are read changes nothing. Sequence: the same 100 firings of A (every one a fraud,
     * reported 2 days later) are judged by two instances; the first is given each report when its transaction is
     * judged (as a consumer keeping up), the second every report before the first record (a restarted task whose
     * consumer read the whole topic first). After each record both have the same weight; before the first reports'
     * reported time has been reached, neither has moved from the default.
     */
    @Test
    void aReportCountsFromItsReportedTimeHoweverEarlyItWasRead() {
        List<Firing> all = firings("c", T0, 100, 1 << A, 10);
        LearnedWeights keepingUp = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, 100_000);
        LearnedWeights readAhead = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, 100_000);
        for (Firing f : all) {
            readAhead.report(report(f, 2 * DAY));
        }
        double[] strengths = {1, 1};
        for (Firing f : all) {
            for (LearnedWeights w : List.of(keepingUp, readAhead)) {
                w.advance(f.t());
                w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), f.mask(), strengths);
            }
            keepingUp.report(report(f, 2 * DAY));
            if (f.t() < T0 + 2 * DAY) {
                assertEquals(0.4, readAhead.weight(A), 1e-12, "at " + (f.t() - T0));
            }
            assertEquals(keepingUp.weight(A), readAhead.weight(A), 1e-12, "at " + (f.t() - T0));
        }
        keepingUp.advance(T0 + 30 * DAY);
        readAhead.advance(T0 + 30 * DAY);
        assertEquals(keepingUp.weight(A), readAhead.weight(A), 1e-12);
        assertTrue(keepingUp.weight(A) > 0.85, "learned " + keepingUp.weight(A));
    }

    /**
     * Memory is bounded: with room for 10 records, 100 firings of A whose reports come a day later leave 10 waiting,
     * and the 90 scored early count as not reported, so A keeps its default.
     */
    @Test
    void recordsBeyondTheCapAreScoredEarlyAsNotReported() {
        LearnedWeights w = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, 10);
        double[] strengths = {1, 1};
        for (Firing f : firings("c", T0, 100, 1 << A, 10)) {
            w.advance(f.t());
            w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), f.mask(), strengths);
            w.report(report(f, 10 * DAY));
            assertTrue(w.waiting() <= 10, "waiting " + w.waiting());
        }
        assertEquals(0.4, w.weight(A), 1e-12);
    }

    /**
     * A rule already weighted 1 (the confirmed shares, by default) cannot rise, so records on which only such a rule
     * fired are not kept: 100 firings of B (weight 1) leave nothing waiting, one firing of A beside it is kept.
     */
    @Test
    void recordsOnWhichOnlyRulesAtWeightOneFiredAreNotKept() {
        LearnedWeights w = new LearnedWeights(new double[] {0.4, 1.0}, THRESHOLD_RULES, 20, 100_000);
        double[] strengths = {1, 1};
        for (Firing f : firings("c", T0, 100, 1 << B, 10)) {
            w.advance(f.t());
            w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), f.mask(), strengths);
        }
        assertEquals(0, w.waiting());
        w.record(KeyHash.of("x"), KeyHash.check("x"), T0 + 100 * HOUR, 1 << A | 1 << B, strengths);
        assertEquals(1, w.waiting());
    }

    /**
     * Judges the firings in time order (each at its time plus {@code offsetMs}), each fraud reported a day later with
     * the event time in whole seconds, as a feed that drops the milliseconds writes it; then ages them.
     */
    private static LearnedWeights runWithRoundedReports(List<Firing> firings, long offsetMs, long matchMs) {
        LearnedWeights w = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, 100_000, matchMs);
        double[] strengths = {1, 1};
        for (Firing f : firings) {
            long t = f.t() + offsetMs;
            w.advance(t);
            w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), t, f.mask(), strengths);
            if (f.fraud()) {
                long rounded = t / 1000 * 1000;
                w.report(new Report(rounded, rounded + DAY, null, f.card(), null));
            }
        }
        w.advance(firings.get(firings.size() - 1).t() + 30 * DAY);
        return w;
    }

    /**
     * A feed whose reports carry event times in whole seconds confirms its records as one with the exact times: 100
     * firings of A at 0.6 s past a second, all reported with the time rounded down, give A the weight of exact reports,
     * (20 x 0.4 + 100) / 120, with the default window of a second; matched to the millisecond
     * ({@code feedback.learn.match.ms=0}) nothing is confirmed and A keeps its 0.4.
     */
    @Test
    void reportsThatRoundTheEventTimeToTheSecondStillConfirmTheirRecords() {
        List<Firing> all = firings("c", T0, 100, 1 << A, 10);
        assertEquals((20 * 0.4 + 100) / 120, runWithRoundedReports(all, 600, 1_000).weight(A), 1e-9);
        assertEquals(0.4, runWithRoundedReports(all, 600, 0).weight(A), 1e-9);
    }

    /**
     * A report confirms the nearest record of its card, once. Sequence: card c has two records with a firing of A,
     * 400 ms apart (t and t + 400 ms), the second a fraud reported (twice, as feeds resend) with the time t + 400 ms; 99 other cards' records
     * of B all reported (so the coverage is 1). Only c's second record counts as confirmed: A's weight is that of 1
     * confirmed of 2, (20 x 0.4 + 1) / 22, not 2 of 2.
     */
    @Test
    void aReportConfirmsTheNearestRecordOfItsCardOnlyOnce() {
        LearnedWeights w = new LearnedWeights(DEFAULTS, THRESHOLD_RULES, 20, 100_000, 1_000);
        double[] strengths = {1, 1};
        long t = T0 + 1_000;
        w.advance(t);
        w.record(KeyHash.of("c"), KeyHash.check("c"), t, 1 << A, strengths);
        w.record(KeyHash.of("c"), KeyHash.check("c"), t + 400, 1 << A, strengths);
        w.report(new Report(t + 400, t + 400 + DAY, null, "c", null));
        w.report(new Report(t + 400, t + 400 + DAY, null, "c", null));
        for (int i = 0; i < 99; i++) {
            long ti = t + (i + 1) * HOUR;
            w.advance(ti);
            w.record(KeyHash.of("b" + i), KeyHash.check("b" + i), ti, 1 << B, strengths);
            w.report(new Report(ti, ti + DAY, null, "b" + i, null));
        }
        w.advance(t + 60 * DAY);
        assertEquals(1.0, w.coverage(), 1e-9);
        assertEquals(Math.max(0.4, (20 * 0.4 + 1) / 22), w.weight(A), 1e-9);
    }
    /**
     * A confirmed share is calibrated by bin of its strength: rule A is a threshold rule, rule B a confirmed share
     * (weight 1). Sequence: (1) 100 records on which B's strength is 0.3 (the 0.2 bin) and no rule fired, 80 of
     * them reported a day later; (2) 100 records with B at 0.03 (the 0.02 bin), 1 in 10 reported; (3) all are older
     * than the reports' delay and scored. B at 0.3 is then taken at (20 x 0.3 + 80) / 120 = 0.717, at 0.03 it stays
     * 0.03 (its bin's (20 x 0.03 + 10) / 120 = 0.088 is higher: it rises to that), and a strength under the first
     * bin (0.01) is never changed. Without calibration (the 5-argument constructor) B is what it is.
     */
    @Test
    void aConfirmedShareIsTakenAtWhatTheReportsShowOfItsBin() {
        boolean[] kinds = {true, false};
        LearnedWeights w = new LearnedWeights(new double[] {0.4, 1.0}, kinds, 20, 100_000, 0, true);
        LearnedWeights off = new LearnedWeights(new double[] {0.4, 1.0}, kinds, 20, 100_000, 0, false);
        List<Firing> high = firings("h", T0, 100, 0, 8);
        List<Firing> low = firings("l", T0 + 200 * HOUR, 100, 0, 1);
        for (LearnedWeights each : List.of(w, off)) {
            for (Firing f : high) {
                feed(each, f, 0.3);
            }
            for (Firing f : low) {
                feed(each, f, 0.03);
            }
            each.advance(T0 + 400 * HOUR + 30 * DAY);
        }
        assertEquals((20 * 0.3 + 80) / 120, w.strength(B, 0.3), 1e-6, "strengths are kept as floats");
        assertEquals((20 * 0.03 + 10) / 120, w.strength(B, 0.03), 1e-6);
        assertEquals(0.01, w.strength(B, 0.01), 1e-12);
        assertEquals(0.3, off.strength(B, 0.3), 1e-12);
        assertEquals(0.4, w.weight(A), 1e-9, "no firing of A: its weight unchanged");
    }

    /**
     * Shares of one size in two contexts are calibrated apart. Sequence: (1) 100 records with B at 0.3 in context 3
     * (a merchant whose oldest confirmed fraud is 1-2 weeks old), all reported a day later; (2) 100 records with B at
     * 0.3 in context 5 (3 weeks or more), 2 in 10 reported; (3) all are scored. B at 0.3 in context 3 is then taken at
     * (20 x 0.3 + 100) / 120 = 0.883; in context 5 its cell's rate, (20 x 0.3 + 20) / 120 = 0.217, is under the share
     * itself, which stays 0.3.
     */
    @Test
    void sharesOfOneSizeInTwoContextsAreCalibratedApart() {
        LearnedWeights w = new LearnedWeights(new double[] {0.4, 1.0}, new boolean[] {true, false}, 20, 100_000, 0,
            true);
        List<Firing> fresh = firings("f", T0, 100, 0, 10);
        List<Firing> old = firings("o", T0 + 200 * HOUR, 100, 0, 2);
        for (Firing f : fresh) {
            feed(w, f, 0.3, 3);
        }
        for (Firing f : old) {
            feed(w, f, 0.3, 5);
        }
        w.advance(T0 + 400 * HOUR + 30 * DAY);
        assertEquals((20 * 0.3 + 100) / 120, w.strength(B, 0.3, 3), 1e-6);
        assertEquals(0.3, w.strength(B, 0.3, 5), 1e-12);
        assertEquals(0.3, w.strength(B, 0.3, 0), 1e-6, "a context without records: its own strength");
    }

    private static void feed(LearnedWeights w, Firing f, double shareStrength, int context) {
        w.advance(f.t());
        w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), 0, new double[] {0, shareStrength},
            new int[] {0, context});
        if (f.fraud()) {
            w.report(report(f, DAY));
        }
    }

    private static void feed(LearnedWeights w, Firing f, double shareStrength) {
        w.advance(f.t());
        w.record(KeyHash.of(f.card()), KeyHash.check(f.card()), f.t(), 0, new double[] {0, shareStrength});
        if (f.fraud()) {
            w.report(report(f, DAY));
        }
    }
}
