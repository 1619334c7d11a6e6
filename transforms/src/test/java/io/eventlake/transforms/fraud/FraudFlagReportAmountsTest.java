package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.FraudFlagTest.record;
import static io.eventlake.transforms.fraud.FraudFlagTest.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** amount_fraud_rate through the SMT: the reports' amounts and currencies, as the reports consumer decodes them. */
class FraudFlagReportAmountsTest {

    /** Every other rule that could judge a large amount is off, so only the reports' amounts can flag it. */
    private static Map<String, String> config(boolean amountRate) {
        Map<String, String> c = new HashMap<>();
        c.put("feedback.topic", "reports");
        c.put("feedback.learn.weights", "false");
        c.put("amount.outlier.enabled", "false");
        c.put("feedback.amount.enabled", Boolean.toString(amountRate));
        return c;
    }

    /**
     * Sequence: for 5 days, a charge every 10 minutes, each of its own user, card and merchant (so no card or
     * merchant has history): 10 to 40 USD, and every 20th 900 USD, a fraud whose report (amount as a decimal,
     * currency, reported a day later) is offered right after it, as the reports consumer reads it. Then a 900 USD
     * charge of a fresh card is flagged, with amount_fraud_rate as its reason; 900 EUR and 30 USD add next to nothing. With the
     * rule off, the same 900 USD charge is not flagged.
     */
    @Test
    void theReportsAmountsTeachWhichAmountsAreFraud() {
        Struct learned = judgeAfterStream(config(true), "900.00", "USD");
        assertTrue(learned.getBoolean("fraud_flagged"), learned.toString());
        assertEquals(java.util.List.of("amount_fraud_rate"), learned.getArray("fraud_reasons"));
        assertFalse(judgeAfterStream(config(true), "900.00", "EUR").getBoolean("fraud_flagged"), "another currency");
        Struct ordinary = judgeAfterStream(config(true), "30.00", "USD");
        assertTrue(ordinary.getFloat64("fraud_score") < 0.001, ordinary.toString());
        assertFalse(judgeAfterStream(config(false), "900.00", "USD").getBoolean("fraud_flagged"), "rule off");
    }

    /**
     * The band's share is calibrated by the reports (feedback.learn.shares): the same stream, with the weights learned,
     * gives the 900 USD charge the confirmed rate of its bin (its band's earlier payments were all reported), above
     * the share's lower bound it gets with feedback.learn.shares=false.
     */
    @Test
    void theReportsRaiseTheBandsShareToWhatSharesLikeItProved() {
        Map<String, String> calibrated = config(true);
        calibrated.put("feedback.learn.weights", "true");
        Map<String, String> bound = new HashMap<>(calibrated);
        bound.put("feedback.learn.shares", "false");
        double raised = judgeAfterStream(calibrated, "900.00", "USD").getFloat64("fraud_score");
        double asIs = judgeAfterStream(bound, "900.00", "USD").getFloat64("fraud_score");
        assertTrue(raised > asIs + 0.01, raised + " against " + asIs);
    }

    private static Struct judgeAfterStream(Map<String, String> config, String amount, String currency) {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(config);
            int n = 5 * 24 * 6;
            for (int i = 0; i < n; i++) {
                long t = i * 10 * MIN;
                boolean fraud = i % 20 == 0;
                String a = fraud ? "900.00" : Integer.toString(10 + i * 7 % 31) + ".00";
                smt.apply(record(charge(i, t, a, "USD")));
                if (fraud) {
                    smt.offerReport(Map.of("event_time", new Date(T0 + t), "reported_time", new Date(T0 + t + DAY),
                        "user_id", "u" + i, "card_id", "c" + i, "merchant_id", "m" + i, "amount", new BigDecimal(a),
                        "currency", "USD"));
                }
            }
            return (Struct) smt.apply(record(charge(n, n * 10 * MIN, amount, currency))).value();
        }
    }

    private static Struct charge(int i, long t, String amount, String currency) {
        return tx(t, amount).put("user_id", "u" + i).put("card_id", "c" + i).put("merchant_id", "m" + i)
            .put("currency", currency);
    }
}
