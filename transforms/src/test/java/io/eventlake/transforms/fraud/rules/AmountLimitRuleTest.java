package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AmountLimitRuleTest {

    private final AmountLimitRule rule = new AmountLimitRule(Map.of("USD", 10_000.0, "*", 500.0), 0.6);

    @Test
    void firesAtTheLimitOfTheCurrencyAndNotBelow() {
        assertTrue(rule.apply(at(0).amount(10_000)) >= 1);
        assertTrue(rule.apply(at(0).amount(9_999.99)) < 1);
    }

    @Test
    void usesTheWildcardForOtherCurrenciesAndStreamsWithoutOne() {
        assertTrue(rule.apply(at(0).currency("JPY").amount(500)) >= 1);
        assertTrue(rule.apply(at(0).currency(null).amount(499)) < 1);
    }

    @Test
    void skipsAnEventWithoutAmount() {
        assertTrue(Double.isNaN(rule.apply(at(0).amount(Double.NaN))));
    }

    @Test
    void doesNotJudgeUnlistedCurrenciesWithoutWildcard() {
        assertEquals(0, new AmountLimitRule(Map.of("USD", 1.0), 1).apply(at(0).currency("EUR").amount(1e9)));
    }
}
