package io.eventlake.transforms.predicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.validate.Validate;

class PredicatesTest {

    private static final Schema TX = SchemaBuilder.struct()
        .field("fraud_flagged", Schema.OPTIONAL_BOOLEAN_SCHEMA)
        .field("event_type", Schema.OPTIONAL_STRING_SCHEMA)
        .field("risk", SchemaBuilder.struct().optional().field("level", Schema.OPTIONAL_STRING_SCHEMA).build())
        .build();

    private static SinkRecord record(Object key, Object value) {
        return new SinkRecord("t", 0, null, key, value instanceof Struct s ? s.schema() : null, value, 0);
    }

    private static <P extends org.apache.kafka.connect.transforms.predicates.Predicate<SinkRecord>> P configured(
        P predicate, Map<String, ?> props) {
        predicate.configure(props);
        return predicate;
    }

    // --- IsFlagged ---

    @Test
    void isFlaggedByTheDefaultBooleanFieldInStructsAndMaps() {
        IsFlagged<SinkRecord> p = configured(new IsFlagged<>(), Map.of());
        assertTrue(p.test(record(null, new Struct(TX).put("fraud_flagged", true))));
        assertFalse(p.test(record(null, new Struct(TX).put("fraud_flagged", false))));
        assertFalse(p.test(record(null, new Struct(TX))));
        assertTrue(p.test(record(null, Map.of("fraud_flagged", "TRUE"))));
        assertFalse(p.test(record(null, Map.of("other", true))));
        assertFalse(p.test(record(null, null)), "a tombstone is not flagged");
    }

    @Test
    void isFlaggedByAConfiguredNestedFieldOrHeader() {
        IsFlagged<SinkRecord> p = configured(new IsFlagged<>(), Map.of("field", "risk.flag", "header", "x-fraud"));
        assertTrue(p.test(record(null, Map.of("risk", Map.of("flag", true)))));
        SinkRecord byHeader = record(null, Map.of());
        byHeader.headers().addString("x-fraud", "card_testing");
        assertTrue(p.test(byHeader));
        SinkRecord falseHeader = record(null, Map.of());
        falseHeader.headers().addBoolean("x-fraud", false);
        assertFalse(p.test(falseHeader));
        SinkRecord falseText = record(null, Map.of());
        falseText.headers().addString("x-fraud", "false");
        assertFalse(p.test(falseText));
    }

    @Test
    void isFlaggedNeedsAFieldOrAHeader() {
        ConfigException e = assertThrows(ConfigException.class, () -> new IsFlagged<SinkRecord>().configure(
            Map.of("field", "", "header", "")));
        assertTrue(e.getMessage().contains("field") && e.getMessage().contains("set field or header"),
            e.getMessage());
        assertErrorAtValidation(IsFlagged.CONFIG_DEF.validate(Map.of("field", "a..b")), "field",
            "'a..b' is not a field path");
    }

    // --- HasViolations ---

    @Test
    void hasViolationsSeesTheHeadersValidateAdds() {
        Validate<SourceRecord> validate = new Validate.Value<>();
        validate.configure(Map.of("required", "user_id", "on.invalid", "tag"));
        HasViolations<SourceRecord> p = new HasViolations<>();
        p.configure(Map.of());
        SourceRecord valid = validate.apply(new SourceRecord(null, null, "t", null, Map.of("user_id", "u")));
        SourceRecord invalid = validate.apply(new SourceRecord(null, null, "t", null, Map.of("x", 1)));
        assertFalse(p.test(valid));
        assertTrue(p.test(invalid));
    }

    @Test
    void hasViolationsFollowsTheConfiguredPrefix() {
        HasViolations<SinkRecord> p = configured(new HasViolations<>(), Map.of("header.prefix", "dq."));
        SinkRecord r = record(null, Map.of());
        r.headers().addString("eventlake.validation.violations", "x");
        assertFalse(p.test(r));
        r.headers().addString("dq.violations", "x");
        assertTrue(p.test(r));
        assertErrorAtValidation(HasViolations.CONFIG_DEF.validate(Map.of("header.prefix", "")), "header.prefix",
            "String must be non-empty");
    }

    // --- FieldMatches ---

    @Test
    void fieldMatchesAPatternOrAValue() {
        FieldMatches<SinkRecord> p = configured(new FieldMatches.Value<>(), Map.of("field", "risk.level",
            "pattern", "high|crit.*", "values", "medium"));
        assertTrue(p.test(record(null, Map.of("risk", Map.of("level", "critical")))));
        assertTrue(p.test(record(null, Map.of("risk", Map.of("level", "medium")))));
        assertFalse(p.test(record(null, Map.of("risk", Map.of("level", "highish")))), "the whole text must match");
        assertFalse(p.test(record(null, Map.of("risk", Map.of()))));
        assertFalse(p.test(record(null, null)));
        Struct s = new Struct(TX).put("risk", new Struct(TX.field("risk").schema()).put("level", "high"));
        assertTrue(p.test(record(null, s)));
    }

    @Test
    void fieldMatchesComparesNumbersAsText() {
        FieldMatches<SinkRecord> p = configured(new FieldMatches.Value<>(), Map.of("field", "amount",
            "values", "10.50,3"));
        assertTrue(p.test(record(null, Map.of("amount", new BigDecimal("10.50")))));
        assertTrue(p.test(record(null, Map.of("amount", 3))));
        assertFalse(p.test(record(null, Map.of("amount", 3.0))));
    }

    @Test
    void theKeyVariantLooksAtTheKey() {
        FieldMatches<SinkRecord> p = configured(new FieldMatches.Key<>(), Map.of("field", "region",
            "values", "eu"));
        assertTrue(p.test(record(Map.of("region", "eu"), Map.of("region", "us"))));
        assertFalse(p.test(record(Map.of("region", "us"), Map.of("region", "eu"))));
    }

    @Test
    void fieldMatchesNeedsAPatternOrValuesAndAValidRegex() {
        ConfigException e = assertThrows(ConfigException.class, () -> new FieldMatches.Value<SinkRecord>()
            .configure(Map.of("field", "a")));
        assertTrue(e.getMessage().contains("pattern") && e.getMessage().contains("set pattern or values"),
            e.getMessage());
        assertErrorAtValidation(FieldMatches.CONFIG_DEF.validate(Map.of("field", "a", "pattern", "[x")), "pattern",
            "not a regular expression");
        assertErrorAtValidation(FieldMatches.CONFIG_DEF.validate(Map.of("pattern", "x")), "field",
            "Missing required configuration");
        assertThrows(ConfigException.class, () -> new FieldMatches.Value<SinkRecord>().configure(
            Map.of("field", "a", "pattern", "[x")));
    }

    private static void assertErrorAtValidation(List<ConfigValue> result, String key, String why) {
        List<String> errors = result.stream().filter(c -> c.name().equals(key)).findFirst()
            .map(ConfigValue::errorMessages).orElseThrow();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(why), errors.get(0));
    }
}
