package io.eventlake.connect.sink.s3.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** The sink's own decoding of JsonConverter envelopes gives what JsonConverter gives, type by type. */
class JsonEnvelopesTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address")
        .field("city", Schema.STRING_SCHEMA).field("zip", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema EVENT = SchemaBuilder.struct().name("Event")
        .field("id", Schema.INT64_SCHEMA)
        .field("small", Schema.INT8_SCHEMA)
        .field("medium", Schema.INT16_SCHEMA)
        .field("count", Schema.OPTIONAL_INT32_SCHEMA)
        .field("ratio", Schema.FLOAT32_SCHEMA)
        .field("amount", Schema.FLOAT64_SCHEMA)
        .field("ok", Schema.BOOLEAN_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("raw", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("price", Decimal.builder(2).optional().build())
        .field("at", Timestamp.SCHEMA)
        .field("day", org.apache.kafka.connect.data.Date.builder().optional().build())
        .field("time", Time.builder().optional().build())
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).optional().build())
        .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).optional().build())
        .field("address", ADDRESS)
        .field("level", SchemaBuilder.string().optional().defaultValue("info").build())
        .build();

    private final JsonConverter converter = converter();

    private static JsonConverter converter() {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), false);
        return c;
    }

    private Struct event(long id) {
        return new Struct(EVENT).put("id", id).put("small", (byte) -3).put("medium", (short) 300)
            .put("count", id % 2 == 0 ? null : 7).put("ratio", 0.25f).put("amount", 12.5 + id).put("ok", true)
            .put("name", "n\u00e9-" + id).put("raw", new byte[] {1, 2, (byte) 255})
            .put("price", new BigDecimal("19.99")).put("at", new Date(1_722_852_000_000L + id))
            .put("day", new Date(86_400_000L * 20_000)).put("time", new Date(3_600_000L))
            .put("tags", List.of("a", "b")).put("attrs", Map.of("x", 1, "y", 2)).put("byId", Map.of(4, "four"))
            .put("address", new Struct(ADDRESS).put("city", "Lyon").put("zip", null)).put("level", null);
    }

    @Test
    void decodesEveryTypeAsJsonConverterDoes() {
        JsonEnvelopes json = new JsonEnvelopes();
        for (long id = 0; id < 4; id++) {
            byte[] bytes = converter.fromConnectData("t", EVENT, event(id));
            SchemaAndValue expected = converter.toConnectData("t", bytes);
            SchemaAndValue actual = json.decode("t", bytes);
            assertEquals(expected.schema(), actual.schema(), "schema of " + id);
            assertEquals(expected.value(), actual.value(), "value of " + id);
        }
    }

    @Test
    void aRepeatedSchemaIsParsedOnce() {
        JsonEnvelopes json = new JsonEnvelopes();
        Schema first = json.decode("t", converter.fromConnectData("t", EVENT, event(1))).schema();
        Schema second = json.decode("t", converter.fromConnectData("t", EVENT, event(2))).schema();
        assertSame(first, second);
    }

    @Test
    void aPayloadBeforeItsSchemaStillDecodes() {
        String flipped = "{\"payload\": 5, \"schema\": {\"type\": \"int64\", \"optional\": false}}";
        SchemaAndValue v = new JsonEnvelopes().decode("t", flipped.getBytes(StandardCharsets.UTF_8));
        assertEquals(5L, v.value());
    }

    @Test
    void aValueOfTheWrongTypeIsADataExceptionNamingTheField() {
        String bad = "{\"schema\": {\"type\": \"struct\", \"fields\": [{\"field\": \"ok\", \"type\": \"boolean\"}]},"
            + " \"payload\": {\"ok\": \"yes\"}}";
        DataException e = assertThrows(DataException.class,
            () -> new JsonEnvelopes().decode("t", bad.getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, e.getMessage().contains("payload.ok"), e.getMessage());
    }

    @Test
    void notJsonIsADataException() {
        assertThrows(DataException.class, () -> new JsonEnvelopes().decode("t", "{\"schema\": {".getBytes(
            StandardCharsets.UTF_8)));
    }
}
