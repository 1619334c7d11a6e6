package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.feedback.Report;

class FeedbackRuleTest {

    private static FeedbackRule merchantRule() {
        return new FeedbackRule(Role.MERCHANT, 2, 0.1, 0, 7 * DAY, true, limits(), 1.0);
    }

    private static Report report(long eventOffset, long reportedOffset) {
        return new Report(T0 + eventOffset, T0 + reportedOffset, "u1", "c1", "m1");
    }

    @Test
    void firesOnceEnoughReportsAndShareAreKnown() {
        FeedbackRule r = merchantRule();
        for (int i = 0; i < 8; i++) {
            r.apply(at(i * HOUR));
        }
        r.report(report(HOUR, 2 * DAY));
        r.report(report(2 * HOUR, 2 * DAY));
        assertTrue(r.apply(at(2 * DAY - 1)) < 1, "reported after this event");
        double level = r.apply(at(2 * DAY));
        assertTrue(level >= 1, "2 reports of ~10 transactions: " + level);
        assertTrue(r.strength(level) > 0.1 && r.strength(level) < 0.3, "the strength is the share");
    }

    @Test
    void oneReportIsBelowMinReports() {
        FeedbackRule r = merchantRule();
        r.apply(at(0));
        r.report(report(0, HOUR));
        assertTrue(r.apply(at(2 * HOUR)) < 1);
    }

    @Test
    void otherMerchantsAreUnaffected() {
        FeedbackRule r = merchantRule();
        r.report(report(0, HOUR));
        r.report(report(0, HOUR));
        assertEquals(0, r.apply(at(2 * HOUR).merchant("m2")));
    }

    /**
     * Regression: a replay must not see the future. Sequence: (1) an event at t1 at merchant m1 is judged; (2) a
     * report of a fraud at m1, filed at t2 > t1, arrives (as the generator writes it: at once, with its future
     * reported time; or as a chargeback read days later); (3) the stream is replayed and the event at t1 is judged
     * again with the report in the state. It must get the same verdict as in (1): the report counts only for events
     * at or after t2. An event at t2 does see it.
     */
    @Test
    void aReportCountsOnlyFromItsReportedTimeSoAReplayDoesNotSeeIt() {
        long t1 = 3 * DAY;
        long t2 = t1 + 2 * DAY;
        FeedbackRule r = new FeedbackRule(Role.MERCHANT, 1, 0.01, 0, 7 * DAY, true, limits(), 1.0);
        double before = r.apply(at(t1));
        r.report(report(t1 - HOUR, t2));
        double replayed = r.apply(at(t1));
        assertEquals(before, replayed);
        assertEquals(0, r.strength(replayed));
        double after = r.apply(at(t2));
        assertTrue(after >= 1 && r.strength(after) > 0, "from t2 on the report counts");
    }

    @Test
    void cardReportsAreKeyedByCard() {
        FeedbackRule r = new FeedbackRule(Role.CARD, 1, 0.01, 0, 7 * DAY, false, limits(), 1.0);
        assertEquals("card_fraud_rate", r.name());
        r.report(report(0, HOUR));
        assertTrue(r.apply(at(2 * HOUR)) >= 1);
        assertEquals(0, r.apply(at(2 * HOUR).card("c2")));
    }

    /**
     * Regression: how far ahead reports are read must not change any verdict. Stream: 100 days, 60 merchants, each
     * charged twice a day; merchants m0-m29 have a fraud report every 5 days in days 0-30 only, m30-m59 every 5 days
     * through day 95 (each reported 2 days after its event). (1) A reads each report when the stream reaches the
     * report's event time (as the generator writes it, beside its transaction); (2) B reads all reports before the
     * first event (a restarted task's consumer reads the whole topic at once). Every event's level and strength must
     * be the same in both. (Before the fix the reports' table expired keys relative to the newest report read: in B
     * day 95's reports made m0-m29's reports, 65 days older, idle, and they were swept before their events.)
     */
    @Test
    void readingReportsFarAheadGivesTheSameVerdictsAsReadingThemInTime() {
        java.util.List<Report> all = new java.util.ArrayList<>();
        for (int m = 0; m < 60; m++) {
            int lastDay = m < 30 ? 30 : 95;
            for (int d = m % 5; d <= lastDay; d += 5) {
                all.add(new Report(T0 + d * DAY + m * 60_000L, T0 + (d + 2) * DAY, "u" + m, "c" + m, "m" + m));
            }
        }
        all.sort(java.util.Comparator.comparingLong(Report::eventTimeMs));
        FeedbackRule inTime = merchantRule();
        FeedbackRule ahead = merchantRule();
        all.forEach(ahead::report);
        int next = 0;
        int differ = 0;
        int fired = 0;
        for (int d = 0; d < 100; d++) {
            for (int half = 0; half < 2; half++) {
                for (int m = 0; m < 60; m++) {
                    long t = T0 + d * DAY + half * 12 * HOUR + m * 60_000L;
                    while (next < all.size() && all.get(next).eventTimeMs() <= t) {
                        inTime.report(all.get(next++));
                    }
                    double a = inTime.apply(at(t - T0).merchant("m" + m).card("c" + m));
                    double sa = inTime.strength(a);
                    double b = ahead.apply(at(t - T0).merchant("m" + m).card("c" + m));
                    double sb = ahead.strength(b);
                    if (a != b || sa != sb) {
                        differ++;
                    }
                    fired += a >= 1 ? 1 : 0;
                }
            }
        }
        assertTrue(fired > 500, "the reports matter: " + fired);
        assertEquals(0, differ, "verdicts that depend on when the reports were read");
    }
    /**
     * Regression (issue 13, section 5): a small merchant's compromise must show although reports come a week late.
     * Sequence: (1) merchants m0-m19 each take two payments a day, honest, for 30 days; (2) from day 30 every payment
     * at m0-m9 is fraud, each reported 7 days after it (reports read as the stream reaches them); (3) on day 40, ten
     * days in, the reports of days 30-33 are known and those of days 33-40 are not. The share must read the known
     * days (all fraud) rather than every payment since day 30 and the honest weeks before: m0's share is above 0.5
     * and the rule fires; an honest merchant's is 0. Without delay awareness the same stream gives m0 under 0.2 (no
     * prior, to show the estimate alone).
     */
    @Test
    void aCompromiseShowsThoughReportsComeAWeekLate() {
        FeedbackRule aware = new FeedbackRule(Role.MERCHANT, 3, 0.02, 0, 2 * DAY, true, limits(), 1.0);
        FeedbackRule plain = new FeedbackRule(Role.MERCHANT, 3, 0.02, 0, 2 * DAY, false, limits(), 1.0);
        java.util.List<Report> pending = new java.util.ArrayList<>();
        double[] atDay40 = new double[4];
        for (int d = 0; d <= 40; d++) {
            for (int half = 0; half < 2; half++) {
                for (int m = 0; m < 20; m++) {
                    long t = d * DAY + half * 12 * HOUR + m * 60_000L;
                    for (FeedbackRule r : java.util.List.of(aware, plain)) {
                        pending.forEach(r::report);
                    }
                    pending.clear();
                    double a = aware.apply(at(t).merchant("m" + m));
                    double sa = aware.strength(a);
                    double p = plain.apply(at(t).merchant("m" + m));
                    double sp = plain.strength(p);
                    if (d == 40 && half == 1 && m == 0) {
                        atDay40 = new double[] {a, sa, sp, 0};
                    }
                    if (d == 40 && half == 1 && m == 10) {
                        atDay40[3] = sa;
                    }
                    if (d >= 30 && m < 10) {
                        pending.add(new Report(T0 + t, T0 + t + 7 * DAY, "u1", "c1", "m" + m));
                    }
                }
            }
        }
        assertTrue(atDay40[0] >= 1, "the rule fires on m0: " + atDay40[0]);
        assertTrue(atDay40[1] > 0.5, "m0's share of its known payments: " + atDay40[1]);
        assertTrue(atDay40[2] < 0.2, "without delay awareness: " + atDay40[2]);
        assertEquals(0, atDay40[3], "an honest merchant");
    }
    /**
     * Regression (issue 13, section 3: the merchant's share with several tasks). The generator's lanes, and so the
     * tasks, own disjoint cards, and every task reads every report. Sequence: (1) a task judges 30 payments at
     * merchant m1 with cards c0-c29, its own, while two other tasks judge 60 there with cards x0-x59; (2) 30 reports
     * for m1 arrive, 10 of this task's cards and 20 of the others'; (3) a payment at m1 after the reports' time. Its
     * share must be about that of one task that judged all 90 payments (30 reports of 90, not 30 of 30): counting
     * every report over its own third of the traffic overstated it three times.
     */
    @Test
    void aTaskWeighsItsPartOfAMerchantsTrafficByItsShareOfTheReportedCards() {
        double[] shares = thirdAndWhole(0);
        double a = shares[0];
        double b = shares[1];
        assertTrue(b > 0.2, "one task: 30 reports of 90 payments: " + b);
        assertEquals(b, a, 0.15 * b, "a third of the traffic, weighed by the share of its reported cards");
    }

    /**
     * With the confidence bound (feedback.merchant.confidence, the default), a task is as sure as its own part of the
     * traffic. Sequence as above: one task judges 30 of merchant m1's 90 payments (its cards), another judges all 90;
     * both read the same 30 reports. Both see about the same share (30 of 90), but the task with a third of the
     * payments holds a third of the evidence: its bound is lower, both under the share.
     */
    @Test
    void withTheConfidenceBoundATaskIsAsSureAsItsOwnPartOfTheTraffic() {
        double[] bounds = thirdAndWhole(0.95);
        double a = bounds[0];
        double b = bounds[1];
        assertTrue(b > 0.15 && b < 0.33, "one task, 30 reports of 90 payments, at 95 %: " + b);
        assertTrue(a > 0.05 && a < b - 0.03, "a third of the payments, a wider interval: " + a + " vs " + b);
    }

    /**
     * The strengths at merchant m1, after the reports, of a task that judged 30 of its 90 payments (cards c0-c29) and
     * of one that judged all 90, both given the 30 reports (10 of the first task's cards), with {@code confidence}.
     */
    private static double[] thirdAndWhole(double confidence) {
        FeedbackRule third = new FeedbackRule(Role.MERCHANT, 1, 0.01, 0, confidence, 7 * DAY, true, limits(), 1.0);
        FeedbackRule whole = new FeedbackRule(Role.MERCHANT, 1, 0.01, 0, confidence, 7 * DAY, true, limits(), 1.0);
        for (int i = 0; i < 30; i++) {
            third.apply(at(i * HOUR).card("c" + i));
            whole.apply(at(i * HOUR).card("c" + i));
            whole.apply(at(i * HOUR).card("x" + i));
            whole.apply(at(i * HOUR).card("x" + (30 + i)));
        }
        for (int i = 0; i < 30; i++) {
            Report r = new Report(T0 + i * HOUR, T0 + 2 * DAY, "u", i % 3 == 0 ? "c" + i : "x" + i, "m1");
            third.report(r);
            whole.report(r);
        }
        // The first payment after the reports decides them; the next one uses the share learned.
        third.apply(at(3 * DAY).card("c0"));
        whole.apply(at(3 * DAY).card("c0"));
        return new double[] {third.strength(third.apply(at(3 * DAY).card("c0"))),
            whole.strength(whole.apply(at(3 * DAY).card("c0")))};
    }
    @Test
    void theContextOfAShareIsTheAgeOfTheOldestConfirmedFraudInWeeks() {
        assertEquals(0, FeedbackRule.ageContext(23 * HOUR));
        assertEquals(1, FeedbackRule.ageContext(DAY));
        assertEquals(2, FeedbackRule.ageContext(3 * DAY));
        assertEquals(3, FeedbackRule.ageContext(13 * DAY));
        assertEquals(4, FeedbackRule.ageContext(14 * DAY));
        assertEquals(5, FeedbackRule.ageContext(21 * DAY));
        FeedbackRule r = new FeedbackRule(Role.MERCHANT, 1, 0.01, 0, 7 * DAY, true, limits(), 1.0);
        r.apply(at(0));
        assertEquals(0, r.context(), "no report counts yet");
        r.report(report(HOUR, 2 * DAY));
        r.report(report(10 * DAY, 11 * DAY));
        r.apply(at(2 * DAY));
        assertEquals(1, r.context(), "the report of a fraud 47 hours ago");
        r.apply(at(16 * DAY));
        assertEquals(4, r.context(), "the oldest of the two, 15 days ago, not the newest");
    }
}
