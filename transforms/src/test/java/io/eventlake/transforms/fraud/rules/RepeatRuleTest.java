package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class RepeatRuleTest {

    private static RepeatRule rule() {
        return new RepeatRule(Role.CARD, 2, 10 * MIN, limits(), 0.8);
    }

    @Test
    void firesOnAThirdChargeAtTheSameMerchantWithinTheWindowNotTheSecond() {
        RepeatRule r = rule();
        assertEquals(0, r.apply(at(0).merchant("m1")));
        assertEquals(0.5, r.apply(at(MIN).merchant("m1")));
        assertTrue(r.apply(at(2 * MIN).merchant("m1")) >= 1);
    }

    @Test
    void chargesAtOtherMerchantsOrByOtherCardsDoNotCount() {
        RepeatRule r = rule();
        r.apply(at(0).merchant("m1"));
        r.apply(at(MIN).merchant("m1"));
        assertEquals(0, r.apply(at(2 * MIN).merchant("m2")));
        assertEquals(0, r.apply(at(3 * MIN).merchant("m1").card("another card")));
    }

    @Test
    void aChargeOutsideTheWindowDoesNotCount() {
        RepeatRule r = rule();
        r.apply(at(0).merchant("m1"));
        r.apply(at(MIN).merchant("m1"));
        assertEquals(0.5, r.apply(at(10 * MIN + 1).merchant("m1")), "the first is out of the window");
    }

    @Test
    void skipsWithoutAMerchant() {
        assertTrue(Double.isNaN(rule().apply(at(0).merchant(null))));
    }
}
