package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class DistinctRuleTest {

    private static DistinctRule rule() {
        return new DistinctRule(Role.USER, Role.DEVICE, 3, DAY, limits(), 0.7);
    }

    @Test
    void firesOnTheFourthDeviceInADayNotTheThird() {
        DistinctRule r = rule();
        assertEquals("many_devices", r.name());
        r.apply(at(0).device("d1"));
        r.apply(at(HOUR).device("d2"));
        assertTrue(r.apply(at(2 * HOUR).device("d3")) < 1);
        assertTrue(r.apply(at(3 * HOUR).device("d4")) >= 1);
    }

    @Test
    void repeatsAndOldDevicesDoNotCount() {
        DistinctRule r = rule();
        r.apply(at(0).device("d1"));
        r.apply(at(HOUR).device("d2"));
        r.apply(at(2 * HOUR).device("d2"));
        assertTrue(r.apply(at(DAY + 90 * 60_000L).device("d3")) < 1, "d1 was seen more than a day before");
    }

    @Test
    void countsCardsToo() {
        DistinctRule r = new DistinctRule(Role.USER, Role.CARD, 1, DAY, limits(), 0.7);
        assertEquals("many_cards", r.name());
        r.apply(at(0).card("c1"));
        assertTrue(r.apply(at(1).card("c2")) >= 1);
    }

    /**
     * many_merchants (card, merchant, more than 2 in 5 minutes, no near-miss evidence): charges at m1, m1 again (a
     * repeat counts once), m2 within the window do not fire and add no evidence; m3 at 4 min fires (three merchants);
     * m4 at 10 min does not (m1 and m2 left the window).
     */
    @Test
    void manyMerchantsFiresOnTheThirdDistinctMerchantInFiveMinutesAndAddsNothingBelow() {
        DistinctRule r = new DistinctRule(Role.CARD, Role.MERCHANT, 2, 5 * 60_000L, limits(), 0.8, false);
        assertEquals("many_merchants", r.name());
        r.apply(at(0).merchant("m1"));
        r.apply(at(60_000L).merchant("m1"));
        double two = r.apply(at(2 * 60_000L).merchant("m2"));
        assertTrue(two < 1 && two > 0, "two merchants: a near miss");
        assertEquals(0, r.strength(two), "a near miss adds no evidence");
        assertEquals(0, r.uncorroboratedStrength(two), "nor when no rule fired");
        double three = r.apply(at(4 * 60_000L).merchant("m3"));
        assertTrue(three >= 1, "three merchants in 4 minutes");
        assertEquals(1, r.strength(three));
        assertEquals(1, r.uncorroboratedStrength(three));
        assertTrue(r.apply(at(10 * 60_000L).merchant("m4")) < 1, "m4 alone in the window (m3 was at 4 min)");
        assertTrue(rule().strength(0.5) > 0, "many_devices keeps its near misses");
    }

    @Test
    void skipsWithoutDevice() {
        assertTrue(Double.isNaN(rule().apply(at(0))));
    }
}
