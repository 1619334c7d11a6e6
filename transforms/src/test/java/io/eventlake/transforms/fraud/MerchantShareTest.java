package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.FraudFlagTest.record;
import static io.eventlake.transforms.fraud.FraudFlagTest.tx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * merchant_fraud_rate's share is the lower bound of its 95 % confidence interval ({@code feedback.merchant.confidence}),
 * which scales with the merchant's own traffic, where a fixed prior of transactions capped a quiet merchant.
 */
class MerchantShareTest {

    /**
     * A stream of {@code perDay} payments a day at merchant m for 40 days, each from a card of its own (no other rule
     * has anything to say); from day 20 on, {@code fraudsPerDay} of each day's payments are frauds, each reported 7
     * days later. Returns the verdict of an ordinary payment at m on day 40, from a new card.
     */
    private static Struct dayForty(Map<String, String> extra, int perDay, int fraudsPerDay) {
        Map<String, String> settings = new HashMap<>(Map.of("feedback.topic", "reports"));
        settings.putAll(extra);
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(settings);
            int n = 0;
            for (int day = 0; day < 40; day++) {
                for (int i = 0; i < perDay; i++) {
                    long t = day * DAY + 9 * HOUR + i * (12 * HOUR / perDay);
                    String card = "c" + n++;
                    smt.apply(record(tx(t, "25.00").put("merchant_id", "m").put("card_id", card)
                        .put("user_id", "u" + card)));
                    if (day >= 20 && i < fraudsPerDay) {
                        smt.offerReport(Map.of("event_time", new Date(T0 + t), "reported_time",
                            new Date(T0 + t + 7 * DAY), "merchant_id", "m", "card_id", card));
                    }
                }
            }
            return (Struct) smt.apply(record(tx(40 * DAY + 10 * HOUR, "25.00").put("merchant_id", "m")
                .put("card_id", "new").put("user_id", "new"))).value();
        }
    }

    /**
     * The case: a terminal that takes one payment a day, all of them fraud for the last 20 days (reported a
     * week late, so 13 known). Its next payment is flagged by merchant_fraud_rate alone; with the fixed prior
     * ({@code feedback.merchant.confidence=0}: 10 transactions added under the share) it stays under the threshold.
     */
    @Test
    void aQuietMerchantWhoseKnownPaymentsAreAllFraudFlagsAtOnce() {
        Struct bound = dayForty(Map.of(), 1, 1);
        assertTrue(bound.getBoolean("fraud_flagged"), bound.toString());
        assertTrue(bound.getArray("fraud_reasons").contains("merchant_fraud_rate"), bound.toString());
        Struct prior = dayForty(Map.of("feedback.merchant.confidence", "0"), 1, 1);
        assertFalse(prior.getBoolean("fraud_flagged"), prior.toString());
    }

    /** A busy shop with 3 confirmed frauds among its 100 payments a day is not flagged for it. */
    @Test
    void aBusyMerchantWithAFewFraudsAmongManyPaymentsIsNotFlagged() {
        Struct busy = dayForty(Map.of(), 100, 3);
        assertFalse(busy.getBoolean("fraud_flagged"), busy.toString());
        assertTrue(busy.getFloat64("fraud_score") < 0.1, busy.toString());
    }

    @Test
    void aConfidenceThatIsNoLevelIsRefusedNamingTheKey() {
        for (String bad : new String[] {"0.3", "1.0"}) {
            try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
                ConfigException e = assertThrows(ConfigException.class,
                    () -> smt.configure(Map.of("feedback.merchant.confidence", bad)));
                assertTrue(e.getMessage().contains("feedback.merchant.confidence") && e.getMessage().contains(bad),
                    e.getMessage());
            }
        }
    }
}
