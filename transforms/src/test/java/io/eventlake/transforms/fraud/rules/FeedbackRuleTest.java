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
        return new FeedbackRule(Role.MERCHANT, 2, 0.1, 0, 7 * DAY, limits(), 1.0);
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
        FeedbackRule r = new FeedbackRule(Role.MERCHANT, 1, 0.01, 0, 7 * DAY, limits(), 1.0);
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
        FeedbackRule r = new FeedbackRule(Role.CARD, 1, 0.01, 0, 7 * DAY, limits(), 1.0);
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
                    double a = inTime.apply(at(t - T0).merchant("m" + m));
                    double sa = inTime.strength(a);
                    double b = ahead.apply(at(t - T0).merchant("m" + m));
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
}
