package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class AmountSpikeRuleTest {

    private AmountSpikeRule rule() {
        return new AmountSpikeRule(Role.USER, 5, 3, 30 * DAY, limits(), 0.6);
    }

    private static void history(AmountSpikeRule r, int n) {
        for (int i = 0; i < n; i++) {
            r.apply(at(i * MIN).amount(20));
        }
    }

    @Test
    void firesAtFiveTimesTheUsersMeanAndNotJustBelowOnceTheMeanIsSettled() {
        AmountSpikeRule r = rule();
        history(r, 20);
        assertTrue(r.apply(at(30 * MIN).amount(100)) >= 1 - 1e-9, "5 x 20");
        AmountSpikeRule s = rule();
        history(s, 20);
        double level = s.apply(at(30 * MIN).amount(99));
        assertTrue(level < 1 && level > 0.9, "just below: " + level);
    }

    /**
     * A mean of few amounts is uncertain, so the ratio widens as sqrt((1 + 1/n) / (1 + 1/20)) in log space: after 3
     * amounts of 20, 5x (100) does not fire and 5^1.127 (about 6.13x, 122.7) does; after 5, 5^1.069 (111.7).
     */
    @Test
    void theRatioWidensForAMeanOfFewAmounts() {
        double afterThree = Math.pow(5, Math.sqrt((1 + 1.0 / 3) / (1 + 1.0 / 20)));
        double afterFive = Math.pow(5, Math.sqrt((1 + 1.0 / 5) / (1 + 1.0 / 20)));
        AmountSpikeRule r = rule();
        history(r, 3);
        assertTrue(r.apply(at(10 * MIN).amount(100)) < 1, "5 x 20 after 3 amounts");
        AmountSpikeRule s = rule();
        history(s, 3);
        assertEquals(1, s.apply(at(10 * MIN).amount(20 * afterThree)), 1e-9);
        AmountSpikeRule t = rule();
        history(t, 5);
        assertEquals(1, t.apply(at(10 * MIN).amount(20 * afterFive)), 1e-9);
        assertTrue(afterThree > 6.1 && afterThree < 6.2 && afterFive > 5.5 && afterFive < 5.6);
    }

    @Test
    void needsHistoryFirst() {
        AmountSpikeRule r = rule();
        history(r, 2);
        assertEquals(0, r.apply(at(10 * MIN).amount(1000)));
    }

    @Test
    void ignoresAnotherCurrency() {
        AmountSpikeRule r = rule();
        history(r, 3);
        assertEquals(0, r.apply(at(10 * MIN).amount(1000).currency("JPY")));
    }

    @Test
    void skipsWhenTheKeyIsMissing() {
        assertTrue(Double.isNaN(rule().apply(at(0).user(null))));
    }

    /**
     * Out of order: the amounts 10, 30 at t=0, t=2 min, then 20 arriving late at t=1 min, give the same mean as in
     * order, so the same later verdict.
     */
    @Test
    void aLateEventGivesTheSameMeanAsInOrder() {
        AmountSpikeRule inOrder = rule();
        inOrder.apply(at(0).amount(10));
        inOrder.apply(at(MIN).amount(20));
        inOrder.apply(at(2 * MIN).amount(30));
        AmountSpikeRule late = rule();
        late.apply(at(0).amount(10));
        late.apply(at(2 * MIN).amount(30));
        late.apply(at(MIN).amount(20));
        assertEquals(inOrder.apply(at(3 * MIN).amount(90)), late.apply(at(3 * MIN).amount(90)), 1e-9);
    }
}
