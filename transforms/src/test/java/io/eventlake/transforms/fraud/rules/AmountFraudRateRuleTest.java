package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.feedback.Report;

class AmountFraudRateRuleTest {

    /** The defaults: 4 bands per octave, 3 reports, fires at 0.1, 95 %, a week's half-life. */
    private static AmountFraudRateRule rule(double ownShare) {
        return new AmountFraudRateRule(4, 3, 0.1, 0.95, 7 * DAY, () -> ownShare, 1.0);
    }

    private static FraudEvent pay(long offsetMs, double amount) {
        return at(offsetMs).amount(amount).currency("EUR");
    }

    private static Report fraud(long offsetMs, double amount, String currency, long reportedOffsetMs) {
        return new Report(T0 + offsetMs, T0 + reportedOffsetMs, "u", "c", "m", amount, currency);
    }

    /**
     * A stream of 10 days, a payment every 10 minutes: ordinary amounts 20-40 EUR, and every 20th payment 500 EUR, a
     * fraud reported a day later. Returns the strength the rule gave each payment. {@code readAhead}: every report is
     * read before the first payment (a restarted task reading the whole reports topic), else each right after its
     * payment (as the generator writes them).
     */
    private static List<Double> stream(AmountFraudRateRule r, boolean readAhead) {
        List<Double> strengths = new ArrayList<>();
        int n = 10 * 24 * 6;
        if (readAhead) {
            for (int i = 0; i < n; i++) {
                if (i % 20 == 0) {
                    r.report(fraud(i * 10 * MIN, 500, "EUR", i * 10 * MIN + DAY));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            long t = i * 10 * MIN;
            double amount = i % 20 == 0 ? 500 : 20 + (i * 7 % 20);
            strengths.add(r.strength(r.apply(pay(t, amount))));
            if (!readAhead && i % 20 == 0) {
                r.report(fraud(t, amount, "EUR", t + DAY));
            }
        }
        return strengths;
    }

    @Test
    void aBandOfConfirmedFraudsAddsItsShareAndFiresWhereOrdinaryAmountsAddNothing() {
        AmountFraudRateRule r = rule(1);
        stream(r, false);
        long t = 10 * DAY;
        double level = r.apply(pay(t, 520));
        assertTrue(level >= 1, "every known payment of the band is fraud: " + level);
        assertTrue(r.strength(level) > 0.8, "the share's lower bound: " + r.strength(level));
        assertEquals(0, r.strength(r.apply(pay(t + MIN, 30))), "a band without reports");
        assertEquals(0, r.strength(r.apply(pay(t + 2 * MIN, 1000))), "the next octave is another band");
        assertEquals(0, r.strength(r.apply(at(t + 3 * MIN).amount(500).currency("USD"))), "another currency");
    }

    @Test
    void addsNothingBeforeItsBandHasMinReports() {
        AmountFraudRateRule r = rule(1);
        r.apply(pay(0, 500));
        r.apply(pay(MIN, 500));
        r.report(fraud(0, 500, "EUR", HOUR));
        r.report(fraud(MIN, 500, "EUR", HOUR));
        assertEquals(0, r.strength(r.apply(pay(2 * HOUR, 500))), "2 reports of 3");
        r.report(fraud(2 * HOUR, 500, "EUR", 3 * HOUR));
        double level = r.apply(pay(4 * HOUR, 500));
        assertTrue(r.strength(level) > 0, "3 reports of 4 payments: " + level);
    }

    /**
     * Regression: replay must not depend on how far ahead reports are read. Sequence: (1) a stream is judged with
     * each fraud report read right after its payment, as the generator writes them; (2) the same stream is judged
     * by a new rule that read every report before the first payment (a restarted task catching up on the reports
     * topic, or a backfill). Each payment must get the same strength: a report counts from its reported time only.
     */
    @Test
    void reportsReadAheadChangeNothing() {
        List<Double> asWritten = stream(rule(1), false);
        List<Double> readAhead = stream(rule(1), true);
        assertEquals(asWritten, readAhead);
        assertTrue(asWritten.stream().anyMatch(s -> s > 0.5), "the band is learned in both");
    }

    @Test
    void aTaskThatSeesAPartOfThePaymentsScalesTheReportsToItsPart() {
        AmountFraudRateRule whole = rule(1);
        AmountFraudRateRule quarter = rule(0.25);
        stream(whole, false);
        stream(quarter, false);
        double all = whole.strength(whole.apply(pay(10 * DAY, 500)));
        double part = quarter.strength(quarter.apply(pay(10 * DAY, 500)));
        assertTrue(part < all / 2, "a quarter of the reports are of this task's payments: " + part + " vs " + all);
    }

    @Test
    void aReportWithoutAmountOrAPaymentWithoutPositiveAmountIsNotCounted() {
        AmountFraudRateRule r = rule(1);
        r.report(new Report(T0, T0 + HOUR, "u", "c", "m"));
        assertEquals(0, r.apply(pay(2 * HOUR, 0)));
        assertTrue(Double.isNaN(r.apply(at(2 * HOUR).amount(Double.NaN))), "no amount: not judged");
        assertEquals(0, r.keys(), "nothing kept");
    }
}
