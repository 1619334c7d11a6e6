package io.eventlake.connect.sink.s3.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class StructEncoderTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address")
        .field("city", Schema.STRING_SCHEMA).build();
    private static final Schema SCHEMA = SchemaBuilder.struct().name("io.eventlake.Test")
        .field("id", Schema.STRING_SCHEMA)
        .field("small", Schema.INT8_SCHEMA)
        .field("amount", Decimal.builder(2).parameter(AvroSchemas.DECIMAL_PRECISION_PARAM, "10").optional().build())
        .field("at", Timestamp.SCHEMA)
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional().build())
        .field("address", ADDRESS)
        .build();

    private static Struct sample() {
        return new Struct(SCHEMA)
            .put("id", "e1")
            .put("small", (byte) 7)
            .put("amount", new BigDecimal("12.34"))
            .put("at", new Date(1_722_816_000_123L))
            .put("tags", List.of("a", "b"))
            .put("attrs", Map.of("k", 5L))
            .put("address", new Struct(ADDRESS).put("city", "Lyon"));
    }

    @Test
    void mapsLogicalTypesToParquetFriendlyAvro() {
        org.apache.avro.Schema avro = new StructEncoder(SCHEMA).avroSchema();
        org.apache.avro.Schema amount = avro.getField("amount").schema().getTypes().get(1);
        assertEquals(org.apache.avro.Schema.Type.NULL, avro.getField("amount").schema().getTypes().get(0).getType());
        assertEquals(LogicalTypes.decimal(10, 2), amount.getLogicalType());
        assertEquals(LogicalTypes.timestampMillis(), avro.getField("at").schema().getLogicalType());
        assertEquals(org.apache.avro.Schema.Type.INT, avro.getField("small").schema().getType());
        assertEquals("io.eventlake.Test", avro.getFullName());
    }

    @Test
    void encodesEveryFieldValue() {
        GenericRecord record = new StructEncoder(SCHEMA).encode(sample());
        assertEquals("e1", record.get("id"));
        assertEquals(7, record.get("small"));
        assertEquals(ByteBuffer.wrap(new BigDecimal("12.34").unscaledValue().toByteArray()), record.get("amount"));
        assertEquals(1_722_816_000_123L, record.get("at"));
        assertEquals(List.of("a", "b"), record.get("tags"));
        assertEquals(Map.of("k", 5L), record.get("attrs"));
        assertEquals("Lyon", ((GenericRecord) record.get("address")).get("city"));
    }

    @Test
    void leavesOptionalNullsNull() {
        Struct s = sample().put("amount", null).put("tags", null);
        GenericRecord record = new StructEncoder(SCHEMA).encode(s);
        assertNull(record.get("amount"));
        assertNull(record.get("tags"));
    }

    @Test
    void decimalWithTheWrongScaleNamesTheField() {
        Schema schema = SchemaBuilder.struct().field("price", Decimal.schema(2)).build();
        StructEncoder encoder = new StructEncoder(schema);
        // Struct.put validates type but not scale, so a producer bug can get here.
        Struct s = new Struct(schema).put("price", new BigDecimal("1.5"));
        DataException e = assertThrows(DataException.class, () -> encoder.encode(s));
        assertTrue(e.getMessage().contains("'price'"), e.getMessage());
    }

    @Test
    void nonStructValueSchemaIsRejectedWithItsType() {
        DataException e = assertThrows(DataException.class, () -> new StructEncoder(Schema.STRING_SCHEMA));
        assertTrue(e.getMessage().contains("STRING"), e.getMessage());
    }

    @Test
    void mapWithNonStringKeysIsRejectedNamingTheField() {
        Schema schema = SchemaBuilder.struct()
            .field("counts", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build()).build();
        DataException e = assertThrows(DataException.class, () -> new StructEncoder(schema));
        assertTrue(e.getMessage().contains("value.counts"), e.getMessage());
    }

    @Test
    void cacheReturnsTheSameEncoderForEqualSchemas() {
        EncoderCache cache = new EncoderCache();
        StructEncoder first = cache.encoderFor(SCHEMA);
        assertSame(first, cache.encoderFor(SCHEMA));
        Schema equalCopy = SchemaBuilder.struct().name("io.eventlake.Test")
            .field("id", Schema.STRING_SCHEMA)
            .field("small", Schema.INT8_SCHEMA)
            .field("amount", Decimal.builder(2).parameter(AvroSchemas.DECIMAL_PRECISION_PARAM, "10").optional()
                .build())
            .field("at", Timestamp.SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional().build())
            .field("address", ADDRESS)
            .build();
        assertSame(first, cache.encoderFor(equalCopy));
    }
}
