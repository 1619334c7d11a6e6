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

    @Test
    void skipsWithoutDevice() {
        assertTrue(Double.isNaN(rule().apply(at(0))));
    }
}
