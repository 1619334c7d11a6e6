package io.eventlake.transforms.validate;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** A test event in both shapes: a Struct with a nested device, and the same as a schemaless Map. */
final class Events {

    static final long NOW = 1_767_261_600_000L; // 2026-01-01T10:00:00Z

    static final Schema DEVICE = SchemaBuilder.struct().name("Device").optional()
        .field("id", Schema.OPTIONAL_STRING_SCHEMA)
        .field("os", Schema.OPTIONAL_STRING_SCHEMA)
        .build();

    static final Schema SCHEMA = SchemaBuilder.struct().name("Event")
        .field("event_id", Schema.OPTIONAL_STRING_SCHEMA)
        .field("user_id", Schema.OPTIONAL_STRING_SCHEMA)
        .field("amount", Decimal.builder(2).optional().build())
        .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
        .field("price", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("email", Schema.OPTIONAL_STRING_SCHEMA)
        .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
        .field("event_time", Timestamp.builder().optional().build())
        .field("device", DEVICE)
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .build();

    private Events() {
    }

    /** A valid event. */
    static Struct struct() {
        return new Struct(SCHEMA)
            .put("event_id", "6f1c2a34-1b2c-4d5e-8f90-123456789abc")
            .put("user_id", "user-1")
            .put("amount", new BigDecimal("19.99"))
            .put("quantity", 2)
            .put("price", 9.995)
            .put("email", "ada@example.com")
            .put("currency", "EUR")
            .put("event_time", new Date(NOW - 60_000))
            .put("device", new Struct(DEVICE).put("id", "d-1").put("os", "linux"))
            .put("tags", List.of("a", "b"));
    }

    /** The same event, schemaless. */
    static Map<String, Object> map() {
        Struct s = struct();
        Map<String, Object> m = new HashMap<>();
        for (var f : SCHEMA.fields()) {
            m.put(f.name(), s.get(f));
        }
        m.put("device", new HashMap<>(Map.of("id", "d-1", "os", "linux")));
        m.put("event_time", NOW - 60_000);
        return m;
    }

    static SourceRecord source(Object value) {
        Schema schema = value instanceof Struct s ? s.schema() : null;
        return new SourceRecord(Map.of("lane", 0), Map.of("step", 1), "events", null, Schema.STRING_SCHEMA, "k",
            schema, value, NOW);
    }

    static SinkRecord sink(Object value) {
        Schema schema = value instanceof Struct s ? s.schema() : null;
        return new SinkRecord("events", 3, Schema.STRING_SCHEMA, "k", schema, value, 17L);
    }

    static Map<String, Object> props(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
