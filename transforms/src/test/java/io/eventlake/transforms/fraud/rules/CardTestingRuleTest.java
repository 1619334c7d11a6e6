package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class CardTestingRuleTest {

    private static CardTestingRule rule() {
        return new CardTestingRule(Role.CARD, Map.of("*", 1.0), 0.1, 3, 3, HOUR, 30 * DAY, limits(), 0.8);
    }

    @Test
    void firesOnTheThirdSmallChargeInAnHourNotTheSecond() {
        CardTestingRule r = rule();
        r.apply(at(0).amount(0.5));
        assertTrue(r.apply(at(MIN).amount(1)) < 1);
        assertTrue(r.apply(at(2 * MIN).amount(0.99)) >= 1);
    }

    @Test
    void theChargeAfterATestRunFiresToo() {
        CardTestingRule r = rule();
        for (int i = 0; i < 3; i++) {
            r.apply(at(i * MIN).amount(1));
        }
        assertTrue(r.apply(at(5 * MIN).amount(900)) >= 1);
    }

    @Test
    void smallRelativeToTheCardsOwnMean() {
        CardTestingRule r = rule();
        for (int i = 0; i < 3; i++) {
            r.apply(at(i * MIN).amount(100));
        }
        r.apply(at(2 * HOUR).amount(5));
        r.apply(at(2 * HOUR + MIN).amount(5));
        assertTrue(r.apply(at(2 * HOUR + 2 * MIN).amount(5)) >= 1, "three charges under a tenth of the mean");
        CardTestingRule s = rule();
        for (int i = 0; i < 3; i++) {
            s.apply(at(i * MIN).amount(100));
        }
        s.apply(at(2 * HOUR).amount(11));
        s.apply(at(2 * HOUR + MIN).amount(11));
        assertTrue(s.apply(at(2 * HOUR + 2 * MIN).amount(11)) < 1, "11 is above a tenth of the mean (~100, then ~78)");
    }

    @Test
    void smallChargesOutsideTheWindowDoNotCount() {
        CardTestingRule r = rule();
        r.apply(at(0).amount(1));
        r.apply(at(MIN).amount(1));
        assertTrue(r.apply(at(HOUR + 2 * MIN).amount(1)) < 1);
    }
}
