package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class VelocityRuleTest {

    private static VelocityRule rule() {
        return new VelocityRule(Role.CARD, 3, 10 * MIN, limits(), 0.8);
    }

    @Test
    void firesOnTheFourthEventInTenMinutesNotTheThird() {
        VelocityRule r = rule();
        assertEquals(0, r.apply(at(0)));
        r.apply(at(MIN));
        assertTrue(r.apply(at(2 * MIN)) < 1, "3 events");
        assertTrue(r.apply(at(3 * MIN)) >= 1, "4 events");
    }

    @Test
    void eventsOutsideTheWindowDoNotCount() {
        VelocityRule r = rule();
        r.apply(at(0));
        r.apply(at(MIN));
        r.apply(at(2 * MIN));
        assertTrue(r.apply(at(10 * MIN + MIN + 1)) < 1, "the first two are more than 10 min before");
    }

    @Test
    void otherCardsDoNotCount() {
        VelocityRule r = rule();
        for (int i = 0; i < 3; i++) {
            r.apply(at(i * MIN).card("other-" + i));
        }
        assertEquals(0, r.apply(at(4 * MIN)));
    }

    /** A late event (t=1.5 min arriving after t=3 min) is counted in the windows of the events after it. */
    @Test
    void aLateEventCountsForLaterEvents() {
        VelocityRule r = rule();
        r.apply(at(0));
        r.apply(at(MIN));
        r.apply(at(3 * MIN));
        r.apply(at(MIN + MIN / 2));
        assertTrue(r.apply(at(4 * MIN)) >= 1, "0, 1, 1.5, 3, 4 min: 5 in window");
    }

    @Test
    void skipsWithoutTime() {
        assertTrue(Double.isNaN(rule().apply(at(0).time(io.eventlake.transforms.fraud.FraudEvent.NO_TIME))));
    }
}
