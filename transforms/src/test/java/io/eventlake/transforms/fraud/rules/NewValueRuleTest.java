package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class NewValueRuleTest {

    private static NewValueRule withHistory() {
        NewValueRule r = new NewValueRule(Role.USER, Role.DEVICE, 3, 8, HOUR, limits(), 0.4);
        for (int i = 0; i < 3; i++) {
            r.apply(at(i * MIN).device("phone"));
        }
        return r;
    }

    @Test
    void firesOnAFirstSeenDeviceOfAKnownUserNotOnAKnownOne() {
        NewValueRule r = withHistory();
        assertEquals(1, r.apply(at(10 * MIN).device("stranger")));
        assertEquals(0, r.apply(at(11 * MIN).device("phone")));
    }

    @Test
    void aNewDeviceStaysNewForTheYoungPeriodOnly() {
        NewValueRule r = withHistory();
        r.apply(at(10 * MIN).device("stranger"));
        assertEquals(1, r.apply(at(10 * MIN + HOUR).device("stranger")), "at the end of the hour");
        assertEquals(0, r.apply(at(10 * MIN + HOUR + 1).device("stranger")), "past the hour");
    }

    @Test
    void aNewUserHasNoNewDevices() {
        NewValueRule r = new NewValueRule(Role.USER, Role.DEVICE, 3, 8, HOUR, limits(), 0.4);
        r.apply(at(0).device("a"));
        r.apply(at(1).device("b"));
        assertEquals(0, r.apply(at(2).device("c")), "2 events of history, 3 needed");
    }
}
