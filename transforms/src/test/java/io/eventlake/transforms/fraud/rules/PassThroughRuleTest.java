package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.FraudFlagConfig;
import io.eventlake.transforms.fraud.Role;

class PassThroughRuleTest {

    private static PassThroughRule rule() {
        return new PassThroughRule(Role.USER, Role.MERCHANT, 0.8, 24 * HOUR, 8, limits(), 0.4);
    }

    /** {@code from} sends {@code amount} to {@code to} at {@code offsetMs}. */
    private static FraudEvent send(long offsetMs, String from, String to, double amount) {
        return at(offsetMs).user(from).card(from).merchant(to).amount(amount);
    }

    /** A victim's account sends 10,000 to a mule, which sends 9,500 on to an agent 20 minutes later: it fires. */
    @Test
    void anAccountPassingOnWhatItReceivedFires() {
        PassThroughRule r = rule();
        assertEquals(0, r.apply(send(0, "victim", "mule", 10_000)));
        assertTrue(r.apply(send(20 * MIN, "mule", "agent", 9_500)) >= 1);
    }

    /**
     * Amounts far from what came in are not passing it on: after receiving 10,000 the account sends 1,000 (a tenth)
     * and 50,000 (five times): near misses of level 0.125 and 0.25; 7,000 (0.7 of it) is a near miss of 0.875.
     */
    @Test
    void muchLessOrMuchMoreThanWasReceivedDoesNotFire() {
        PassThroughRule r = rule();
        r.apply(send(0, "friend", "me", 10_000));
        assertEquals(0.125, r.apply(send(MIN, "me", "shop", 1_000)), 1e-12);
        assertEquals(0.25, r.apply(send(2 * MIN, "me", "landlord", 50_000)), 1e-12);
        assertEquals(0.875, r.apply(send(3 * MIN, "me", "shop", 7_000)), 1e-12);
    }

    /** What was received more than the window ago no longer counts: 25 hours later the same amount is level 0. */
    @Test
    void receiptsOlderThanTheWindowDoNotCount() {
        PassThroughRule r = rule();
        r.apply(send(0, "victim", "mule", 10_000));
        assertEquals(0, r.apply(send(25 * HOUR, "mule", "agent", 10_000)));
    }

    /** A card holder paying shops receives nothing, so however it pays the rule stays at 0 (shops never pay back). */
    @Test
    void anAccountThatNeverReceivesHasNothingToPassOn() {
        PassThroughRule r = rule();
        for (int i = 0; i < 5; i++) {
            assertEquals(0, r.apply(send(i * MIN, "holder", "shop" + i, 42)));
        }
    }

    /**
     * Off unless asked for (card payments' merchant ids are no account ids); on, its receiving role must differ from
     * its key, else the configuration is refused naming pass.through.field.
     */
    @Test
    void itIsOffByDefaultAndItsReceiverMustDifferFromItsKey() {
        assertFalse(new FraudFlagConfig(Map.of()).detector().ruleNames().contains(PassThroughRule.NAME));
        assertTrue(new FraudFlagConfig(Map.of("pass.through.enabled", "true")).detector().ruleNames()
            .contains(PassThroughRule.NAME));
        ConfigException e = assertThrows(ConfigException.class, () -> new FraudFlagConfig(
            Map.of("pass.through.enabled", "true", "pass.through.field", "user")).detector());
        assertTrue(e.getMessage().contains("pass.through.field"), e.getMessage());
    }
}
