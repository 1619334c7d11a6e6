package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AmountOutlierRuleTest {

    /** At the defaults: the top thousandth, from 1,000 amounts, 30 days' half-life. */
    private static AmountOutlierRule rule() {
        return new AmountOutlierRule(0.999, 1000, 30 * DAY, 0.4);
    }

    /** Amounts 10.00 to 99.99 spread evenly, one a minute from {@code fromMs}, in {@code currency}. */
    private static void spread(AmountOutlierRule r, int n, long fromMs, double scale, String currency) {
        for (int i = 0; i < n; i++) {
            r.apply(at(fromMs + i * MIN).amount(scale * (10 + (i * 7919 % 9000) / 100.0)).currency(currency));
        }
    }

    @Test
    void firesOnAnAmountAboveWhatAThousandthOfPaymentsReachAndOnNothingUsual() {
        AmountOutlierRule r = rule();
        spread(r, 2000, 0, 1, "EUR");
        assertTrue(r.apply(at(3000 * MIN).amount(250).currency("EUR")) >= 1, "2.5 x the largest amount seen");
        assertEquals(0, r.apply(at(3001 * MIN).amount(95).currency("EUR")), "within the usual amounts");
        assertEquals(0, r.apply(at(3002 * MIN).amount(10).currency("EUR")));
    }

    @Test
    void judgesNothingBeforeItHasSeenEnoughAmounts() {
        AmountOutlierRule r = rule();
        spread(r, 999, 0, 1, "EUR");
        assertEquals(0, r.apply(at(3000 * MIN).amount(1_000_000).currency("EUR")));
        assertTrue(r.apply(at(3001 * MIN).amount(1_000_000).currency("EUR")) >= 1, "the 1,001st amount");
    }

    /** Yen amounts a hundred times euro ones: each currency has its own quantile. */
    @Test
    void eachCurrencyHasItsOwnQuantile() {
        AmountOutlierRule r = rule();
        spread(r, 2000, 0, 1, "EUR");
        spread(r, 2000, 0, 100, "JPY");
        assertEquals(0, r.apply(at(3000 * MIN).amount(5000).currency("JPY")));
        assertTrue(r.apply(at(3000 * MIN).amount(5000).currency("EUR")) >= 1);
    }

    /**
     * 2,000 amounts of about 1,000, then ten half-lives later 2,000 of 10-100: the old amounts weigh a thousandth of
     * what they did, so 200 is above the top thousandth again; without halving they would be half of all amounts.
     */
    @Test
    void oldAmountsFadeWithTheirHalfLife() {
        AmountOutlierRule r = rule();
        spread(r, 2000, 0, 10, "EUR");
        spread(r, 2000, 10 * 30 * DAY, 1, "EUR");
        assertTrue(r.apply(at(10 * 30 * DAY + 3000 * MIN).amount(200).currency("EUR")) >= 1);
    }

    /** A client inventing currencies cannot grow the state: past 64, an amount in a new currency is not judged. */
    @Test
    void keepsAtMostSixtyFourCurrencies() {
        AmountOutlierRule r = rule();
        for (int c = 0; c < AmountOutlierRule.MAX_CURRENCIES + 10; c++) {
            r.apply(at(c).amount(10).currency("C" + c));
        }
        assertEquals(AmountOutlierRule.MAX_CURRENCIES, r.keys());
    }

    @Test
    void anEventWithoutAnAmountOrTimeIsNotJudged() {
        assertTrue(Double.isNaN(rule().apply(at(0).amount(Double.NaN))));
        assertEquals(0, rule().apply(at(0).amount(-5)));
    }
}
