package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.state.StateLimits;

/** A second charge on one card at one merchant, where confirmed fraud has been reported. */
class ReportedRepeatRuleTest {

    private final StateLimits limits = limits();
    private final RepeatRule repeat = new RepeatRule(Role.CARD, 2, 10 * MIN, limits, 0.8);
    private final FeedbackRule merchantRate = new FeedbackRule(Role.MERCHANT, 2, 0.1, 0, 7 * DAY, true, limits, 1.0);
    private final ReportedRepeatRule rule = new ReportedRepeatRule(repeat, merchantRate, 0.6);
    private final List<Rule> chain = List.of(repeat, merchantRate, rule);

    /** Runs the three rules in the detector's order and returns the combined rule's level. */
    private double judge(FraudEvent e) {
        double level = Double.NaN;
        for (Rule r : chain) {
            level = r.apply(e);
        }
        return level;
    }

    /** Merchant m1 has ten charges by other cards over a day, two of them reported as fraud on day 2. */
    private void reportedMerchant() {
        for (int i = 0; i < 10; i++) {
            judge(at(i * HOUR).card("other" + i));
        }
        merchantRate.report(new Report(T0 + HOUR, T0 + DAY, "x", "other1", "m1"));
        merchantRate.report(new Report(T0 + 2 * HOUR, T0 + DAY, "x", "other2", "m1"));
    }

    @Test
    void firesOnASecondChargeAtAReportedMerchant() {
        reportedMerchant();
        assertEquals(0, judge(at(2 * DAY)), "a first charge of c1 at m1");
        assertEquals(1, judge(at(2 * DAY + 2 * MIN)), "c1 again at m1, 2 minutes later");
    }

    @Test
    void aSecondChargeAtAMerchantWithoutReportsDoesNotFire() {
        for (int i = 0; i < 10; i++) {
            judge(at(i * HOUR).card("other" + i));
        }
        judge(at(2 * DAY));
        assertEquals(0, judge(at(2 * DAY + 2 * MIN)));
    }

    @Test
    void aSecondChargeAfterTheRepeatWindowDoesNotFire() {
        reportedMerchant();
        judge(at(2 * DAY));
        assertEquals(0, judge(at(2 * DAY + 11 * MIN)));
    }

    @Test
    void aSecondChargeAtAnotherMerchantDoesNotFire() {
        reportedMerchant();
        judge(at(2 * DAY));
        assertEquals(0, judge(at(2 * DAY + 2 * MIN).merchant("m2")));
    }

    @Test
    void reportsFiledAfterTheEventDoNotCount() {
        for (int i = 0; i < 10; i++) {
            judge(at(i * HOUR).card("other" + i));
        }
        merchantRate.report(new Report(T0 + HOUR, T0 + 5 * DAY, "x", "other1", "m1"));
        merchantRate.report(new Report(T0 + 2 * HOUR, T0 + 5 * DAY, "x", "other2", "m1"));
        judge(at(2 * DAY));
        assertEquals(0, judge(at(2 * DAY + 2 * MIN)), "the reports are from day 5");
    }

    @Test
    void skipsWithoutAMerchant() {
        assertTrue(Double.isNaN(judge(at(0).merchant(null))));
    }
}
