package io.eventlake.transforms.validate;

import static io.eventlake.transforms.validate.Events.NOW;
import static io.eventlake.transforms.validate.Events.props;
import static io.eventlake.transforms.validate.Events.sink;
import static io.eventlake.transforms.validate.Events.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.util.FixedTime;

class ValidateTest {

    private static Validate<SourceRecord> value(Map<String, Object> props) {
        Validate<SourceRecord> v = new Validate.Value<>(new FixedTime(NOW));
        v.configure(props);
        return v;
    }

    private static Validate<SourceRecord> tagging(String... keyValues) {
        Map<String, Object> p = props(keyValues);
        p.put("on.invalid", "tag");
        return value(p);
    }

    /** The violations header of a tagged record, or null when the record passed untouched. */
    private static String violations(SourceRecord r) {
        Header h = r.headers().lastWithName("eventlake.validation.violations");
        return h == null ? null : (String) h.value();
    }

    private static String violationsOf(Validate<SourceRecord> v, Object value) {
        return violations(v.apply(source(value)));
    }

    // --- rules, on both value shapes ---

    @Test
    void requiredFieldsMustBePresentAndNotNull() {
        Validate<SourceRecord> v = tagging("required", "user_id,email,device.id");
        assertNull(violationsOf(v, Events.struct()));
        assertNull(violationsOf(v, Events.map()));
        assertEquals("required(user_id): null; required(device.id): missing",
            violationsOf(v, Events.struct().put("user_id", null).put("device", null)));
        Map<String, Object> m = Events.map();
        m.remove("user_id");
        m.remove("device");
        assertEquals("required(user_id): missing; required(device.id): missing", violationsOf(v, m));
    }

    @Test
    void aRuleOtherThanRequiredSkipsAMissingOrNullField() {
        Validate<SourceRecord> v = tagging("ranges", "quantity:1:3", "formats", "device.os:uuid");
        Map<String, Object> m = Events.map();
        m.remove("quantity");
        m.put("device", Map.of("id", "d"));
        assertNull(violationsOf(v, m));
        assertNull(violationsOf(v, Events.struct().put("quantity", null).put("device", null)));
    }

    @Test
    void typesAreCheckedByTheValuesJavaClass() {
        Validate<SourceRecord> v = tagging("types", "quantity:int32,amount:number,price:float64,tags:array,"
            + "device:object,event_time:timestamp,user_id:string");
        assertNull(violationsOf(v, Events.struct()));
        Map<String, Object> m = Events.map();
        m.put("event_time", new Date(NOW));
        assertNull(violationsOf(v, m));
        m.put("quantity", 2L);
        m.put("user_id", 7);
        assertEquals("type(quantity): expected int32, got int64; type(user_id): expected string, got int32",
            violationsOf(v, m));
    }

    @Test
    void integerAcceptsAnyWholeNumberAndNumberAnyNumber() {
        Validate<SourceRecord> v = tagging("types", "a:integer,b:number");
        assertNull(violationsOf(v, Map.of("a", (byte) 1, "b", new BigDecimal("1.5"))));
        assertNull(violationsOf(v, Map.of("a", 1L, "b", 1.5f)));
        assertEquals("type(a): expected integer, got float64", violationsOf(v, Map.of("a", 1.0, "b", 1)));
    }

    @Test
    void formatsAreChecked() {
        Validate<SourceRecord> v = tagging("formats", "email:email,event_id:uuid,currency:currency");
        assertNull(violationsOf(v, Events.struct()));
        assertEquals("format(email): not an email address; format(event_id): not a UUID; "
                + "format(currency): not an ISO 4217 currency code",
            violationsOf(v, Events.struct().put("email", "ada@").put("event_id", "nope").put("currency", "XYZ")));
        assertEquals("format(email): expected a string, got int32", violationsOf(v, Map.of("email", 5)));
    }

    @Test
    void rangesAreInclusiveForWholeFloatingAndDecimalNumbers() {
        Validate<SourceRecord> v = tagging("ranges", "quantity:1:2,price:0:10,amount:0.01:19.99");
        assertNull(violationsOf(v, Events.struct()));
        assertEquals("range(quantity): above 2; range(price): below 0; range(amount): above 19.99",
            violationsOf(v, Events.struct().put("quantity", 3).put("price", -0.5).put("amount",
                new BigDecimal("20.00"))));
        assertEquals("range(quantity): below 1; range(amount): below 0.01",
            violationsOf(v, Events.struct().put("quantity", 0).put("amount", new BigDecimal("0.00"))));
        assertEquals("range(price): not a number (NaN)", violationsOf(v, Map.of("price", Double.NaN)));
        assertEquals("range(quantity): expected a number, got string", violationsOf(v, Map.of("quantity", "2")));
    }

    @Test
    void anOpenBoundIsNoLimit() {
        Validate<SourceRecord> v = tagging("ranges", "quantity:1:,price::10");
        assertNull(violationsOf(v, Map.of("quantity", Long.MAX_VALUE, "price", -1e300)));
        assertEquals("range(quantity): below 1; range(price): above 10",
            violationsOf(v, Map.of("quantity", Long.MIN_VALUE, "price", 10.01)));
    }

    @Test
    void aFractionalBoundAppliesToWholeNumbers() {
        Validate<SourceRecord> v = tagging("ranges", "quantity:0.5:2.5");
        assertNull(violationsOf(v, Map.of("quantity", 1)));
        assertNull(violationsOf(v, Map.of("quantity", 2)));
        assertEquals("range(quantity): below 0.5", violationsOf(v, Map.of("quantity", 0)));
        assertEquals("range(quantity): above 2.5", violationsOf(v, Map.of("quantity", 3)));
    }

    @Test
    void allowedValuesCompareAsText() {
        Validate<SourceRecord> v = tagging("allowed", "currency:USD|EUR,quantity:1|2,amount:19.99");
        assertNull(violationsOf(v, Events.struct()));
        assertEquals("allowed(currency): not one of USD|EUR; allowed(quantity): not one of 1|2",
            violationsOf(v, Events.struct().put("currency", "GBP").put("quantity", 3)));
    }

    @Test
    void patternsMustMatchTheWholeField() {
        Validate<SourceRecord> v = value(props("on.invalid", "tag", "patterns",
            "user_id:user-\\d{1\\,3},device.os:linux|macos"));
        assertNull(violationsOf(v, Events.struct()));
        assertNull(violationsOf(v, Events.map()));
        assertEquals("pattern(user_id): does not match user-\\d{1,3}",
            violationsOf(v, Events.struct().put("user_id", "user-1000")));
        assertEquals("pattern(user_id): does not match user-\\d{1,3}",
            violationsOf(v, Events.struct().put("user_id", "xuser-1")));
    }

    @Test
    void maxLengthsCountCodePointsBytesAndEntries() {
        Validate<SourceRecord> v = tagging("max.lengths", "user_id:3,tags:2");
        assertNull(violationsOf(v, Map.of("user_id", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "tags", List.of())));
        assertEquals("max.length(user_id): longer than 3; max.length(tags): longer than 2",
            violationsOf(v, Map.of("user_id", "abcd", "tags", List.of(1, 2, 3))));
    }

    @Test
    void eventTimesOutsideTheWindowAreViolations() {
        Validate<SourceRecord> v = tagging("event.time.field", "event_time", "event.time.max.age.ms", "3600000",
            "event.time.max.future.ms", "60000");
        assertNull(violationsOf(v, Events.struct()));
        assertNull(violationsOf(v, Map.of("event_time", "2026-01-01T09:30:00Z")));
        assertEquals("event.time(event_time): older than 3600000 ms",
            violationsOf(v, Events.struct().put("event_time", new Date(NOW - 3_600_001))));
        assertEquals("event.time(event_time): more than 60000 ms in the future",
            violationsOf(v, Map.of("event_time", NOW + 60_001)));
        assertEquals("event.time(event_time): not an ISO-8601 time with an offset",
            violationsOf(v, Map.of("event_time", "yesterday")));
    }

    @Test
    void minusOneLeavesTheEventTimeWindowOpen() {
        Validate<SourceRecord> v = tagging("event.time.field", "event_time", "event.time.max.age.ms", "-1",
            "event.time.max.future.ms", "-1");
        assertNull(violationsOf(v, Map.of("event_time", 0L)));
        assertNull(violationsOf(v, Map.of("event_time", Long.MAX_VALUE)));
    }

    @Test
    void aValueThatIsNeitherStructNorMapHasNoFields() {
        Validate<SourceRecord> v = tagging("required", "user_id");
        assertEquals("required(user_id): missing", violationsOf(v, "just a string"));
    }

    // --- what happens to an invalid record ---

    @Test
    void failThrowsADataExceptionNamingTheRecordAndEveryViolation() {
        Validate<SinkRecord> v = new Validate.Value<>(new FixedTime(NOW));
        v.configure(props("required", "user_id", "ranges", "quantity:1:2"));
        DataException e = assertThrows(DataException.class,
            () -> v.apply(sink(Events.struct().put("user_id", null).put("quantity", 5))));
        assertEquals("Record events-3@17 is invalid (2 violations): required(user_id): null; "
            + "range(quantity): above 2", e.getMessage());
        assertEquals(1, v.counts().failed());
    }

    @Test
    void failIsTheDefaultAndAValidRecordPassesAsItIs() {
        Validate<SourceRecord> v = value(props("required", "user_id"));
        SourceRecord r = source(Events.struct());
        assertSame(r, v.apply(r));
        assertThrows(DataException.class, () -> v.apply(source(Map.of())));
    }

    @Test
    void dropFiltersTheRecordOutAndCountsIt() {
        Validate<SourceRecord> v = value(props("required", "user_id", "on.invalid", "drop"));
        assertNull(v.apply(source(Map.of("amount", 1))));
        assertEquals(1, v.counts().dropped());
    }

    @Test
    void routeSendsASourceRecordToTheQuarantineTopicWithItsViolations() {
        Validate<SourceRecord> v = value(props("required", "user_id", "ranges", "quantity:1:2",
            "on.invalid", "route"));
        Struct bad = Events.struct().put("user_id", null).put("quantity", 9);
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "events", 2, Schema.STRING_SCHEMA, "k",
            bad.schema(), bad, NOW);
        SourceRecord out = v.apply(in);
        assertEquals("events-quarantine", out.topic());
        assertNull(out.kafkaPartition(), "the producer partitions it: the quarantine topic may have fewer");
        assertSame(bad, out.value());
        assertEquals("k", out.key());
        assertEquals(NOW, out.timestamp());
        assertEquals("required(user_id): null; range(quantity): above 2", violations(out));
        assertEquals(2, out.headers().lastWithName("eventlake.validation.violation.count").value());
        assertEquals("required:user_id,range:quantity",
            out.headers().lastWithName("eventlake.validation.rules").value());
        assertEquals("events", out.headers().lastWithName("eventlake.validation.original.topic").value());
        assertTrue(in.headers().isEmpty(), "the input record is not changed");
        assertEquals(1, v.counts().quarantined());
    }

    @Test
    void routeKeepsASinkRecordsPartitionAndNamesItsOrigin() {
        Validate<SinkRecord> v = new Validate.Value<>(new FixedTime(NOW));
        v.configure(props("required", "user_id", "on.invalid", "route", "quarantine.topic", "bad.${topic}"));
        SinkRecord out = v.apply(sink(Map.of("amount", 1)));
        assertEquals("bad.events", out.topic());
        assertEquals(3, out.kafkaPartition());
        assertEquals(17L, out.kafkaOffset());
        assertEquals("events", out.originalTopic());
        assertEquals(3, out.headers().lastWithName("eventlake.validation.original.partition").value());
        assertEquals(17L, out.headers().lastWithName("eventlake.validation.original.offset").value());
    }

    @Test
    void tagKeepsTheTopicAndAddsTheHeadersUnderTheConfiguredPrefix() {
        Validate<SourceRecord> v = value(props("required", "user_id", "on.invalid", "tag", "header.prefix", "dq."));
        SourceRecord out = v.apply(source(Map.of("amount", 1)));
        assertEquals("events", out.topic());
        assertEquals("required(user_id): missing", out.headers().lastWithName("dq.violations").value());
        assertNull(out.headers().lastWithName("dq.original.topic"));
        assertEquals(1, v.counts().tagged());
    }

    @Test
    void aSecondValidationMergesItsViolationsIntoTheHeaders() {
        Validate<SourceRecord> first = tagging("required", "user_id");
        Validate<SourceRecord> second = tagging("ranges", "amount:5:");
        SourceRecord out = second.apply(first.apply(source(Map.of("amount", 1))));
        assertEquals(1, out.headers().size() / 3, "one set of headers, not two");
        assertEquals("required(user_id): missing; range(amount): below 5", violations(out));
        assertEquals(2, out.headers().lastWithName("eventlake.validation.violation.count").value());
        assertEquals("required:user_id,range:amount", out.headers().lastWithName("eventlake.validation.rules")
            .value());
    }

    @Test
    void tombstonesPassUntouchedAndAreCountedApart() {
        Validate<SourceRecord> v = value(props("required", "user_id"));
        SourceRecord tombstone = source(null);
        assertSame(tombstone, v.apply(tombstone));
        ValidationCounts c = v.counts();
        assertEquals(0, c.records());
        assertEquals(1, c.tombstones());
    }

    @Test
    void theKeyVariantValidatesTheKey() {
        Validate<SourceRecord> v = new Validate.Key<>(new FixedTime(NOW));
        v.configure(props("required", "id", "on.invalid", "tag"));
        Schema keySchema = SchemaBuilder.struct().field("id", Schema.OPTIONAL_STRING_SCHEMA).build();
        SourceRecord valid = new SourceRecord(Map.of(), Map.of(), "t", null, keySchema,
            new Struct(keySchema).put("id", "a"), null, Map.of());
        assertSame(valid, v.apply(valid));
        SourceRecord invalid = new SourceRecord(Map.of(), Map.of(), "t", null, keySchema, new Struct(keySchema),
            Events.SCHEMA, Events.struct());
        assertEquals("required(id): null", violations(v.apply(invalid)));
        // A null key is not a tombstone (only a null value is): the key's required field is missing.
        SourceRecord nullKey = new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, Map.of());
        assertEquals("required(id): missing", violations(v.apply(nullKey)));
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "t", null, keySchema,
            new Struct(keySchema).put("id", "a"), null, null);
        assertSame(tombstone, v.apply(tombstone));
        assertEquals(1, v.counts().tombstones());
    }

    // --- counts and metrics ---

    @Test
    void everyRecordIsCountedOnce() {
        Validate<SourceRecord> v = value(props("ranges", "quantity:1:2", "on.invalid", "drop"));
        for (int q = 0; q < 10; q++) {
            v.apply(source(Map.of("quantity", q)));
        }
        v.apply(source(null));
        assertEquals(new ValidationCounts(10, 2, 8, 0, 8, 0, 0, 8, 1), v.counts());
        assertTrue(v.counts().balanced());
    }

    @Test
    void theCountsArePublishedAsPluginMetrics() throws Exception {
        Validate<SourceRecord> v = value(props("required", "user_id", "on.invalid", "route"));
        try (Metrics metrics = new Metrics();
             PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, Map.of("connector", "c", "task", "0",
                 "transformation", "validate"))) {
            v.withPluginMetrics(plugin);
            v.apply(source(Map.of("user_id", "u")));
            v.apply(source(Map.of()));
            assertEquals(2L, metric(metrics, "records-total"));
            assertEquals(1L, metric(metrics, "valid-total"));
            assertEquals(1L, metric(metrics, "quarantined-total"));
            assertEquals(0L, metric(metrics, "dropped-total"));
        }
    }

    private static Object metric(Metrics metrics, String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", "c");
        tags.put("task", "0");
        tags.put("transformation", "validate");
        return metrics.metric(new MetricName(name, "plugins", "", tags)).metricValue();
    }
}
