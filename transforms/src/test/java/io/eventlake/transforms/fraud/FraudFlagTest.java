package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FraudFlagTest {

    static final Schema TX = SchemaBuilder.struct().name("Tx")
        .field("event_time", Timestamp.SCHEMA)
        .field("user_id", Schema.STRING_SCHEMA)
        .field("card_id", Schema.STRING_SCHEMA)
        .field("merchant_id", Schema.STRING_SCHEMA)
        .field("amount", Decimal.schema(2))
        .field("currency", Schema.STRING_SCHEMA)
        .field("latitude", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("longitude", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("country", Schema.OPTIONAL_STRING_SCHEMA)
        .field("device_id", Schema.OPTIONAL_STRING_SCHEMA)
        .build();

    private final FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>();

    @AfterEach
    void close() {
        smt.close();
    }

    static Struct tx(long offsetMs, String amount) {
        return new Struct(TX).put("event_time", new Date(T0 + offsetMs)).put("user_id", "u1").put("card_id", "c1")
            .put("merchant_id", "m1").put("amount", new BigDecimal(amount)).put("currency", "USD")
            .put("latitude", 48.85).put("longitude", 2.35).put("country", "FR");
    }

    static SourceRecord record(Object value) {
        Schema schema = value instanceof Struct s ? s.schema() : null;
        return new SourceRecord(null, null, "tx", 0, Schema.STRING_SCHEMA, "u1", schema, value, T0);
    }

    private Struct apply(Struct value) {
        return (Struct) smt.apply(record(value)).value();
    }

    @Test
    void appendsFlagScoreAndReasonsToStructsUnderACachedSchema() {
        smt.configure(Map.of());
        Struct first = apply(tx(0, "10.00"));
        assertFalse(first.getBoolean("fraud_flagged"));
        assertTrue(first.getFloat64("fraud_score") < 0.01, "only the amount limit's tiny share");
        assertEquals(List.of(), first.getArray("fraud_reasons"));
        assertEquals("u1", first.getString("user_id"));
        Struct big = apply(tx(MIN, "20000.00"));
        assertTrue(big.getBoolean("fraud_flagged"));
        assertEquals(List.of("amount_limit"), big.getArray("fraud_reasons"));
        assertSame(first.schema(), big.schema(), "derived once per input schema");
    }

    @Test
    void handlesSchemalessMaps() {
        smt.configure(Map.of());
        Map<String, Object> v = new HashMap<>();
        v.put("event_time", T0);
        v.put("card_id", "c1");
        v.put("amount", 20_000);
        v.put("currency", "USD");
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) smt.apply(record(v)).value();
        assertEquals(true, out.get("fraud_flagged"));
        assertEquals(List.of("amount_limit"), out.get("fraud_reasons"));
        assertEquals(20_000, out.get("amount"));
    }

    @Test
    void writesHeadersAndLeavesTheValueWhenAsked() {
        smt.configure(Map.of("output.mode", "headers", "output.flag.name", "flag"));
        Struct value = tx(0, "20000.00");
        SourceRecord out = smt.apply(record(value));
        assertSame(value, out.value());
        Header flag = out.headers().lastWithName("flag");
        assertEquals(true, flag.value());
        assertTrue((Double) out.headers().lastWithName("fraud_score").value() >= 0.5);
        assertEquals(List.of("amount_limit"), out.headers().lastWithName("fraud_reasons").value());
    }

    @Test
    void passesTombstonesThroughUntouched() {
        smt.configure(Map.of());
        SourceRecord tombstone = new SourceRecord(null, null, "tx", 0, Schema.STRING_SCHEMA, "u1", null, null, T0);
        assertSame(tombstone, smt.apply(tombstone));
    }

    @Test
    void aMissingFieldSkipsTheRulesThatNeedItByDefault() {
        smt.configure(Map.of());
        Struct noCard = tx(0, "10.00");
        Schema schema = SchemaBuilder.struct().field("event_time", Timestamp.SCHEMA).field("amount",
            Schema.FLOAT64_SCHEMA).field("currency", Schema.STRING_SCHEMA).build();
        Struct v = new Struct(schema).put("event_time", noCard.get("event_time")).put("amount", 20_000.0)
            .put("currency", "USD");
        Struct out = (Struct) smt.apply(record(v)).value();
        assertEquals(List.of("amount_limit"), out.getArray("fraud_reasons"), "velocity etc. skipped, not thrown");
    }

    @Test
    void aMissingFieldFailsWhenConfiguredNamingTheFieldAndRecord() {
        smt.configure(Map.of("fields.missing", "fail"));
        Schema schema = SchemaBuilder.struct().field("event_time", Timestamp.SCHEMA).field("amount",
            Schema.FLOAT64_SCHEMA).build();
        Struct v = new Struct(schema).put("event_time", new Date(T0)).put("amount", 1.0);
        SinkRecord r = new SinkRecord("tx", 3, null, null, schema, v, 17);
        FraudFlag.Value<SinkRecord> sink = new FraudFlag.Value<>();
        sink.configure(Map.of("fields.missing", "fail"));
        DataException e = assertThrows(DataException.class, () -> sink.apply(r));
        assertTrue(e.getMessage().contains("field.user") && e.getMessage().contains("tx-3@17"), e.getMessage());
        sink.close();
    }

    @Test
    void refusesValuesThatAreNeitherStructNorMap() {
        smt.configure(Map.of());
        DataException e = assertThrows(DataException.class, () -> smt.apply(record("text")));
        assertTrue(e.getMessage().contains("tx-0"), e.getMessage());
    }

    @Test
    void refusesAValueThatAlreadyHasAnOutputField() {
        smt.configure(Map.of("output.score.name", "amount"));
        assertThrows(DataException.class, () -> apply(tx(0, "1.00")));
    }

    /** Score monotonicity: the same event scores higher when one more rule fires, and the flag follows the score. */
    @Test
    void theScoreRisesWithEveryRuleThatFires() {
        smt.configure(Map.of());
        double calm = apply(tx(0, "10.00")).getFloat64("fraud_score");
        FraudFlag.Value<SourceRecord> other = new FraudFlag.Value<>();
        other.configure(Map.of());
        other.apply(record(tx(0, "10.00")));
        double twoRules = ((Struct) other.apply(record(tx(MIN, "20000.00").put("latitude", 40.7).put("longitude",
            -74.0))).value()).getFloat64("fraud_score");
        FraudFlag.Value<SourceRecord> third = new FraudFlag.Value<>();
        third.configure(Map.of());
        third.apply(record(tx(0, "10.00")));
        Struct amountOnly = (Struct) third.apply(record(tx(MIN, "20000.00"))).value();
        assertTrue(calm < amountOnly.getFloat64("fraud_score"));
        assertTrue(amountOnly.getFloat64("fraud_score") < twoRules, "amount limit + impossible travel");
        assertTrue(twoRules <= 1.0);
        other.close();
        third.close();
    }

    /**
     * At the defaults, one card at three different merchants within 5 minutes (online, amounts of its usual size) is
     * flagged on the third charge for many_merchants alone; the same three charges at one merchant are not.
     */
    @Test
    void threeMerchantsInFiveMinutesFlagTheThirdChargeByDefault() {
        smt.configure(Map.of());
        assertFalse(apply(tx(0, "20.00").put("merchant_id", "m1")).getBoolean("fraud_flagged"));
        assertFalse(apply(tx(MIN, "20.00").put("merchant_id", "m2")).getBoolean("fraud_flagged"));
        Struct third = apply(tx(2 * MIN, "20.00").put("merchant_id", "m3"));
        assertTrue(third.getBoolean("fraud_flagged"));
        assertEquals(List.of("many_merchants"), third.getArray("fraud_reasons"));
        try (FraudFlag.Value<SourceRecord> oneShop = new FraudFlag.Value<>()) {
            oneShop.configure(Map.of());
            for (int i = 0; i < 3; i++) {
                Struct v = (Struct) oneShop.apply(record(tx(i * MIN, "20.00"))).value();
                assertFalse(v.getArray("fraud_reasons").contains("many_merchants"));
            }
        }
        try (FraudFlag.Value<SourceRecord> off = new FraudFlag.Value<>()) {
            off.configure(Map.of("many.merchants.enabled", "false"));
            assertFalse(off.detector().ruleNames().contains("many_merchants"));
        }
    }

    @Test
    void badConfigsAreRejectedNamingTheKey() {
        assertKey("flag.threshold", Map.of("flag.threshold", "1.5"));
        assertKey("velocity.key", Map.of("velocity.key", "planet"));
        assertKey("amount.limit.thresholds", Map.of("amount.limit.thresholds", "USD=100"));
        assertKey("field.card", Map.of("field.card", ""));
        assertKey("field.amount", Map.of("field.amount", "a..b"));
        assertKey("output.reasons.name", Map.of("output.flag.name", "x", "output.reasons.name", "x"));
        assertKey("distinct.field", Map.of("distinct.field", "user"));
        assertKey("distinct.field", Map.of("distinct.field", "merchant"));
        assertKey("many.merchants.key", Map.of("many.merchants.key", "merchant"));
        assertKey("field.latitude", Map.of("field.latitude", "", "field.country", ""));
        assertKey("output.mode", Map.of("output.mode", "carrier-pigeon"));
        assertKey("feedback.value.converter", Map.of("feedback.topic", "r", "feedback.bootstrap.servers",
            "127.0.0.1:9", "feedback.value.converter", "no.such.Converter"));
    }

    private static void assertKey(String key, Map<String, String> props) {
        FraudFlag.Value<SourceRecord> t = new FraudFlag.Value<>();
        ConfigException e = assertThrows(ConfigException.class, () -> t.configure(props), key);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void aSwitchedOffRuleNeitherFiresNorNeedsItsField() {
        smt.configure(Map.of("amount.limit.enabled", "false"));
        assertFalse(smt.detector().ruleNames().contains("amount_limit"));
        assertFalse(apply(tx(0, "20000.00")).getBoolean("fraud_flagged"));
        FraudFlag.Value<SourceRecord> noDevice = new FraudFlag.Value<>();
        noDevice.configure(Map.of("field.device", "", "distinct.enabled", "false", "new.device.enabled", "false"));
        noDevice.close();
    }

    @Test
    void feedbackRulesNeedAReportsTopic() {
        smt.configure(Map.of());
        assertFalse(smt.detector().ruleNames().contains("merchant_fraud_rate"));
        assertNull(smt.detector().inbox());
        FraudFlag.Value<SourceRecord> fed = new FraudFlag.Value<>();
        fed.configure(Map.of("feedback.topic", "reports"));
        assertTrue(fed.detector().ruleNames().containsAll(List.of("merchant_fraud_rate", "card_fraud_rate")));
        fed.close();
    }

    @Test
    void theReportedRepeatRuleComesAfterTheTwoRulesItCombinesAndOnlyWithBoth() {
        smt.configure(Map.of());
        assertFalse(smt.detector().ruleNames().contains("reported_merchant_repeat"), "no reports topic");
        try (FraudFlag.Value<SourceRecord> fed = new FraudFlag.Value<>()) {
            fed.configure(Map.of("feedback.topic", "reports"));
            List<String> names = fed.detector().ruleNames();
            assertTrue(names.indexOf("reported_merchant_repeat") > names.indexOf("merchant_repeat"));
            assertTrue(names.indexOf("reported_merchant_repeat") > names.indexOf("merchant_fraud_rate"));
        }
        try (FraudFlag.Value<SourceRecord> noRepeat = new FraudFlag.Value<>()) {
            noRepeat.configure(Map.of("feedback.topic", "reports", "merchant_repeat.enabled", "false"));
            assertFalse(noRepeat.detector().ruleNames().contains("reported_merchant_repeat"));
        }
        try (FraudFlag.Value<SourceRecord> off = new FraudFlag.Value<>()) {
            off.configure(Map.of("feedback.topic", "reports", "reported.repeat.enabled", "false"));
            assertFalse(off.detector().ruleNames().contains("reported_merchant_repeat"));
        }
    }

    @Test
    void theRepeatingMerchantRuleComesAfterMerchantRepeatAndOnlyWithIt() {
        smt.configure(Map.of());
        List<String> names = smt.detector().ruleNames();
        assertTrue(names.indexOf("repeating_merchant") > names.indexOf("merchant_repeat"), names.toString());
        try (FraudFlag.Value<SourceRecord> noRepeat = new FraudFlag.Value<>()) {
            noRepeat.configure(Map.of("merchant_repeat.enabled", "false"));
            assertFalse(noRepeat.detector().ruleNames().contains("repeating_merchant"));
        }
        try (FraudFlag.Value<SourceRecord> off = new FraudFlag.Value<>()) {
            off.configure(Map.of("repeating.merchant.enabled", "false"));
            assertFalse(off.detector().ruleNames().contains("repeating_merchant"));
        }
    }

    @Test
    void publishesItsDocsAndVersion() {
        assertTrue(FraudFlag.OVERVIEW_DOC.contains("FraudFlag$Value"));
        assertSame(FraudFlagConfig.CONFIG_DEF, smt.config());
        assertTrue(FraudFlag.CONFIG_DEF.configKeys().containsKey("velocity.max.events"));
    }

    @Test
    void countsJudgedAndFlaggedRecords() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("amount.limit.thresholds", "USD:100"));
            smt.apply(new SourceRecord(null, null, "t", null, null, null, null, event(10), 0L));
            smt.apply(new SourceRecord(null, null, "t", null, null, null, null, event(500), 0L));
            assertEquals(2, smt.counters().get("records-judged-total"));
            assertEquals(1, smt.counters().get("records-flagged-total"));
        }
    }

    private static Map<String, Object> event(double amount) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("event_time", 1_767_225_600_000L);
        m.put("user_id", "u1");
        m.put("card_id", "c1");
        m.put("merchant_id", "m1");
        m.put("amount", amount);
        m.put("currency", "USD");
        return m;
    }
}
