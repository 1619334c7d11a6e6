package io.eventlake.connect.sink.s3.parquet;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a Connect {@link Struct} into the Avro record parquet-avro writes, for one Connect schema. Built once per
 * schema (see {@link EncoderCache}): the per-field plan is decided here, not per record.
 */
public final class StructEncoder {

    private static final long MILLIS_PER_DAY = 24L * 60 * 60 * 1000;

    private final Schema connectSchema;
    private final org.apache.avro.Schema avroSchema;
    private final Field[] fields;
    private final ValueEncoder[] encoders;

    public StructEncoder(Schema connectSchema) {
        this(connectSchema, AvroSchemas.toAvro(connectSchema));
    }

    private StructEncoder(Schema connectSchema, org.apache.avro.Schema avroSchema) {
        this.connectSchema = connectSchema;
        this.avroSchema = avroSchema;
        this.fields = connectSchema.fields().toArray(new Field[0]);
        this.encoders = new ValueEncoder[fields.length];
        for (int i = 0; i < fields.length; i++) {
            encoders[i] = encoderFor(fields[i].schema(), nonNull(avroSchema.getField(fields[i].name()).schema()),
                fields[i].name());
        }
    }

    public org.apache.avro.Schema avroSchema() {
        return avroSchema;
    }

    public Schema connectSchema() {
        return connectSchema;
    }

    public GenericRecord encode(Struct struct) {
        GenericData.Record record = new GenericData.Record(avroSchema);
        for (int i = 0; i < fields.length; i++) {
            Object value = struct.get(fields[i]);
            if (value == null) {
                if (!fields[i].schema().isOptional()) {
                    throw new DataException("field '" + fields[i].name() + "' is required but null");
                }
                continue;
            }
            record.put(i, encoders[i].encode(value));
        }
        return record;
    }

    @FunctionalInterface
    private interface ValueEncoder {
        Object encode(Object value);
    }

    private ValueEncoder encoderFor(Schema schema, org.apache.avro.Schema avro, String path) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            return v -> {
                BigDecimal d = (BigDecimal) v;
                if (d.scale() != scale) {
                    throw new DataException("field '" + path + "': decimal " + d + " has scale " + d.scale()
                        + ", the schema says " + scale);
                }
                return ByteBuffer.wrap(d.unscaledValue().toByteArray());
            };
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return v -> ((java.util.Date) v).getTime();
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return v -> (int) Math.floorDiv(((java.util.Date) v).getTime(), MILLIS_PER_DAY);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return v -> (int) Math.floorMod(((java.util.Date) v).getTime(), MILLIS_PER_DAY);
        }
        return switch (schema.type()) {
            case INT8, INT16 -> v -> ((Number) v).intValue();
            case INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING -> v -> v;
            case BYTES -> v -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
            case ARRAY -> {
                ValueEncoder element = encoderFor(schema.valueSchema(), nonNull(avro.getElementType()), path + "[]");
                yield v -> {
                    List<?> in = (List<?>) v;
                    List<Object> out = new ArrayList<>(in.size());
                    for (Object item : in) {
                        out.add(item == null ? null : element.encode(item));
                    }
                    return out;
                };
            }
            case MAP -> {
                ValueEncoder value = encoderFor(schema.valueSchema(), nonNull(avro.getValueType()), path + "{}");
                yield v -> {
                    Map<?, ?> in = (Map<?, ?>) v;
                    Map<String, Object> out = new HashMap<>(in.size() * 2);
                    in.forEach((k, item) -> out.put((String) k, item == null ? null : value.encode(item)));
                    return out;
                };
            }
            case STRUCT -> {
                StructEncoder inner = new StructEncoder(schema, avro);
                yield v -> inner.encode((Struct) v);
            }
        };
    }

    private static org.apache.avro.Schema nonNull(org.apache.avro.Schema schema) {
        if (schema.getType() != org.apache.avro.Schema.Type.UNION) {
            return schema;
        }
        for (org.apache.avro.Schema branch : schema.getTypes()) {
            if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("a union of only null: " + schema);
    }
}
