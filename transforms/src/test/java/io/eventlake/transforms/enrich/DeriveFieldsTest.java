package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.eventlake.transforms.util.FixedTime;

class DeriveFieldsTest {

    private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();

    private static final Schema EVENT = SchemaBuilder.struct().name("Event")
        .field("event_time", Timestamp.builder().optional().build())
        .field("email", Schema.OPTIONAL_STRING_SCHEMA)
        .field("card", SchemaBuilder.struct().optional().field("number", Schema.OPTIONAL_STRING_SCHEMA).build())
        .build();

    private static DeriveFields<SourceRecord> derive(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        DeriveFields<SourceRecord> d = new DeriveFields.Value<>(new FixedTime(NOW));
        d.configure(p);
        return d;
    }

    private static Struct event(String time) {
        return new Struct(EVENT).put("event_time", time == null ? null : Date.from(Instant.parse(time)))
            .put("email", "ada@example.com")
            .put("card", new Struct(EVENT.field("card").schema()).put("number", "4111111111111111"));
    }

    private static SourceRecord record(Object value) {
        return new SourceRecord(Map.of(), Map.of(), "events", null, null, null,
            value instanceof Struct s ? s.schema() : null, value, NOW - 5000);
    }

    private static Struct apply(DeriveFields<SourceRecord> d, Struct value) {
        return (Struct) d.apply(record(value)).value();
    }

    @Test
    void addsTheLocalDateHourAndDayOfWeekInTheZone() {
        DeriveFields<SourceRecord> d = derive("zone", "Europe/Paris");
        SourceRecord out = d.apply(record(event("2026-01-01T23:30:00Z")));
        Struct v = (Struct) out.value();
        assertEquals(new Date(LocalDate.parse("2026-01-02").toEpochDay() * 86_400_000L), v.get("event_date"));
        assertEquals(0, v.get("event_hour"));
        assertEquals("FRIDAY", v.get("event_day_of_week"));
        assertEquals(new Date(NOW), v.get("processed_at"));
        assertEquals(org.apache.kafka.connect.data.Date.LOGICAL_NAME, out.valueSchema().field("event_date").schema()
            .name());
        assertEquals(Timestamp.LOGICAL_NAME, out.valueSchema().field("processed_at").schema().name());
        assertEquals(List.of("event_time", "email", "card", "event_date", "event_hour", "event_day_of_week",
            "processed_at"), out.valueSchema().fields().stream().map(Field::name).toList());
        assertSame(out.valueSchema(), d.apply(record(event("2026-01-01T10:00:00Z"))).valueSchema());
    }

    /** Sequence: two events in the same UTC hour but, at +05:30, in two local hours of two days. */
    @Test
    void aHalfHourZoneSplitsAUtcHour() {
        DeriveFields<SourceRecord> d = derive("zone", "Asia/Kolkata");
        Struct before = apply(d, event("2026-01-01T18:20:00Z"));
        Struct after = apply(d, event("2026-01-01T18:31:00Z"));
        assertEquals(23, before.get("event_hour"));
        assertEquals("THURSDAY", before.get("event_day_of_week"));
        assertEquals(0, after.get("event_hour"));
        assertEquals("FRIDAY", after.get("event_day_of_week"));
    }

    /** Sequence: Paris springs forward at 01:00 UTC on 2026-03-29; local 02:00 does not exist. */
    @Test
    void daylightSavingChangesAreFollowed() {
        DeriveFields<SourceRecord> d = derive("zone", "Europe/Paris");
        assertEquals(1, apply(d, event("2026-03-29T00:30:00Z")).get("event_hour"));
        assertEquals(3, apply(d, event("2026-03-29T01:10:00Z")).get("event_hour"));
        assertEquals(1, apply(d, event("2026-03-29T00:59:00Z")).get("event_hour"));
    }

    @Test
    void schemalessValuesGetPlainTypes() {
        DeriveFields<SourceRecord> d = derive();
        Map<?, ?> v = (Map<?, ?>) d.apply(record(Map.of("event_time", "2026-01-01T10:00:00Z"))).value();
        assertEquals("2026-01-01", v.get("event_date"));
        assertEquals(10, v.get("event_hour"));
        assertEquals(NOW, v.get("processed_at"));
    }

    @Test
    void withoutAnEventTimeFieldTheRecordTimestampIsUsed() {
        DeriveFields<SourceRecord> d = derive("event.time.field", "", "zone", "UTC");
        assertEquals(11, apply(d, event(null)).get("event_hour"));
    }

    @Test
    void aMissingOrUnreadableTimeLeavesTheFieldsNullAndIsCounted() {
        DeriveFields<SourceRecord> d = derive();
        Struct v = apply(d, event(null));
        assertNull(v.get("event_date"));
        assertNull(v.get("event_hour"));
        assertNull(v.get("event_day_of_week"));
        assertEquals(new Date(NOW), v.get("processed_at"));
        d.apply(record(Map.of("event_time", "noon")));
        assertEquals(2, d.metric("missing-time-total"));
        assertEquals(2, d.metric("records-total"));
    }

    @Test
    void hashedAndMaskedCopiesOfNestedFields() {
        DeriveFields<SourceRecord> d = derive("hash.fields", "email:email_sha256", "hash.salt", "pepper",
            "mask.fields", "card.number:card_masked,email:email_masked", "mask.keep.last", "4",
            "date.field", "", "hour.field", "", "day.of.week.field", "", "processing.time.field", "");
        Struct v = apply(d, event("2026-01-01T10:00:00Z"));
        // printf 'pepperada@example.com' | sha256sum
        assertEquals("f3de2501fc91c4a9ae4d4ed50bef931c9901aabe5ea36979890a69204e7eb2b1", v.get("email_sha256"));
        assertEquals("************1111", v.get("card_masked"));
        assertEquals("***********.com", v.get("email_masked"));
        assertEquals("ada@example.com", v.get("email"), "the original stays");
    }

    @Test
    void anUnsaltedHashIsPlainSha256() {
        DeriveFields<SourceRecord> d = derive("hash.fields", "email:h");
        Map<?, ?> v = (Map<?, ?>) d.apply(record(Map.of("email", "ada@example.com"))).value();
        assertEquals("b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72", v.get("h"));
    }

    @Test
    void aShortValueIsMaskedWholeAndANullStaysNull() {
        DeriveFields<SourceRecord> d = derive("mask.fields", "pin:pin_masked,none:none_masked,n:n_masked",
            "mask.char", "#");
        Map<?, ?> v = (Map<?, ?>) d.apply(record(Map.of("pin", "1234", "n", 1234567))).value();
        assertEquals("####", v.get("pin_masked"));
        assertEquals("###4567", v.get("n_masked"));
        assertNull(v.get("none_masked"));
    }

    @Test
    void maskingCountsCodePointsNotChars() {
        DeriveFields<SourceRecord> d = derive("mask.fields", "name:name_masked", "mask.keep.last", "4");
        Map<?, ?> v = (Map<?, ?>) d.apply(record(Map.of("name", "\uD83D\uDE00\uD83D\uDE0012345"))).value();
        assertEquals("***2345", v.get("name_masked"), "two emoji (four chars) and 5 digits: 7 code points");
    }

    @Test
    void tombstonesPassUntouchedAndTheKeyVariantWorksOnKeys() {
        DeriveFields<SourceRecord> d = derive();
        SourceRecord tombstone = record(null);
        assertSame(tombstone, d.apply(tombstone));
        DeriveFields<SourceRecord> k = new DeriveFields.Key<>();
        k.configure(Map.of("processing.time.field", "", "event.time.field", ""));
        SourceRecord out = k.apply(new SourceRecord(Map.of(), Map.of(), "t", null, null, Map.of("id", 1), null,
            "v", NOW));
        assertEquals(12, ((Map<?, ?>) out.key()).get("event_hour"));
        assertEquals("v", out.value());
    }

    @Test
    void aValueThatIsNeitherStructNorMapIsRefusedNamingTheRecord() {
        DataException e = assertThrows(DataException.class, () -> derive().apply(record("text")));
        assertTrue(e.getMessage().contains("events (source record"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "zone; Mars/Olympus;                not a time zone id",
        "mask.char; '**';                   must be exactly one character",
        "mask.keep.last; -1;                Value must be at least 0",
        "hash.fields; email;                expected <field>:<value>",
        "event.time.field; a..b;            is not a field path",
    })
    void aMalformedValueIsRefusedAtValidationNamingTheKey(String key, String value, String why) {
        List<String> errors = DeriveFields.CONFIG_DEF.validate(Map.of(key, value)).stream()
            .filter(c -> c.name().equals(key)).findFirst().map(ConfigValue::errorMessages).orElseThrow();
        assertTrue(errors.size() == 1 && errors.get(0).contains(key) && errors.get(0).contains(why),
            errors.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> derive(key, value));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void anOutputNamedTwiceOrNoOutputAtAllIsRefused() {
        ConfigException twice = assertThrows(ConfigException.class, () -> derive("mask.fields", "a:event_hour"));
        assertTrue(twice.getMessage().contains("mask.fields") && twice.getMessage().contains("named twice"),
            twice.getMessage());
        assertThrows(ConfigException.class, () -> derive("date.field", "", "hour.field", "", "day.of.week.field", "",
            "processing.time.field", ""));
    }

    @Test
    void theSaltIsAPassword() {
        assertEquals(ConfigDef.Type.PASSWORD, DeriveFields.CONFIG_DEF.configKeys().get("hash.salt").type);
    }
}
