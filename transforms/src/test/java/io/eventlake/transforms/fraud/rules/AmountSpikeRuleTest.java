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

    /** At the defaults: 5x, from 3 amounts, 30 days' half-life, 2 deviations of ln(amount). */
    private AmountSpikeRule rule() {
        return rule(2);
    }

    private AmountSpikeRule rule(double spread) {
        return new AmountSpikeRule(Role.USER, 5, 3, 30 * DAY, spread, limits(), 0.6);
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

    /**
     * An account that alternates payments of 10 and transfers of 1,000 (20 amounts): its mean is 505, its ln(amount)
     * has mean ln 100 and deviation ln 10. 2,600 is 5.1x the mean, yet only 1.4 of its deviations above ln 100: no spike
     * at the default spread of 2 (it is one with the ratio alone); 10,100, just over two deviations above, is one.
     */
    @Test
    void aKeyWhoseAmountsVaryWidelyNeedsAJumpBeyondItsOwnSpread() {
        assertTrue(alternating(rule(0)).apply(at(30 * MIN).amount(2600)) >= 1, "5.1x the mean, by the ratio alone");
        assertEquals(Math.log(26) / (2 * Math.log(10)), alternating(rule()).apply(at(30 * MIN).amount(2600)), 1e-3);
        assertTrue(alternating(rule()).apply(at(30 * MIN).amount(10_100)) >= 1, "two deviations above");
    }

    private static AmountSpikeRule alternating(AmountSpikeRule r) {
        for (int i = 0; i < 20; i++) {
            r.apply(at(i * MIN).amount(i % 2 == 0 ? 10 : 1000));
        }
        return r;
    }

    /** A steady basket (amounts 18 to 22) has a small spread, so the ratio alone decides, as before. */
    @Test
    void aSteadyBasketIsJudgedByTheRatio() {
        AmountSpikeRule r = rule();
        AmountSpikeRule ratioAlone = rule(0);
        for (int i = 0; i < 20; i++) {
            r.apply(at(i * MIN).amount(18 + i % 5));
            ratioAlone.apply(at(i * MIN).amount(18 + i % 5));
        }
        assertEquals(ratioAlone.apply(at(30 * MIN).amount(99)), r.apply(at(30 * MIN).amount(99)), 1e-12);
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
