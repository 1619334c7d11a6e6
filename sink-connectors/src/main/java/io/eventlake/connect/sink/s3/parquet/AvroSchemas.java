package io.eventlake.connect.sink.s3.parquet;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps a Connect schema to the Avro schema parquet-avro writes. Logical types map to their Parquet
 * counterparts: Decimal to DECIMAL (bytes), Timestamp to TIMESTAMP(MILLIS, UTC), Date to DATE, Time to TIME(MILLIS).
 * Optional Connect schemas become unions with null, first, with a null default.
 */
public final class AvroSchemas {

    /** Connect Decimal has no precision; converters that know it put it in this schema parameter. */
    public static final String DECIMAL_PRECISION_PARAM = "connect.decimal.precision";
    static final int DEFAULT_DECIMAL_PRECISION = 38;

    private AvroSchemas() {
    }

    public static org.apache.avro.Schema toAvro(Schema schema) {
        if (schema.type() != Schema.Type.STRUCT) {
            throw new DataException("the Parquet sink writes Struct values; got a value schema of type "
                + schema.type());
        }
        return toAvro(schema, "value");
    }

    private static org.apache.avro.Schema toAvro(Schema schema, String path) {
        org.apache.avro.Schema avro = nonNull(schema, path);
        if (!schema.isOptional()) {
            return avro;
        }
        return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL),
            avro);
    }

    private static org.apache.avro.Schema nonNull(Schema schema, String path) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            String p = schema.parameters().get(DECIMAL_PRECISION_PARAM);
            int precision = p == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(p);
            return LogicalTypes.decimal(precision, scale)
                .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(
                org.apache.avro.Schema.Type.LONG));
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(
                org.apache.avro.Schema.Type.INT));
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            case ARRAY -> org.apache.avro.Schema.createArray(toAvro(schema.valueSchema(), path + "[]"));
            case MAP -> {
                if (schema.keySchema().type() != Schema.Type.STRING) {
                    throw new DataException("field '" + path + "': map keys must be strings for Parquet, got "
                        + schema.keySchema().type());
                }
                yield org.apache.avro.Schema.createMap(toAvro(schema.valueSchema(), path + "{}"));
            }
            case STRUCT -> record(schema, path);
        };
    }

    private static org.apache.avro.Schema record(Schema schema, String path) {
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>(schema.fields().size());
        for (Field field : schema.fields()) {
            String fieldPath = path + "." + field.name();
            org.apache.avro.Schema fieldSchema = toAvro(field.schema(), fieldPath);
            Object defaultValue = field.schema().isOptional() ? JsonProperties.NULL_VALUE : null;
            fields.add(new org.apache.avro.Schema.Field(field.name(), fieldSchema, field.schema().doc(), defaultValue));
        }
        String name = recordName(schema, path);
        return org.apache.avro.Schema.createRecord(name, schema.doc(), null, false, fields);
    }

    private static String recordName(Schema schema, String path) {
        String raw = schema.name() != null ? schema.name() : path;
        // Avro names allow [A-Za-z0-9_] segments separated by dots; Connect names allow anything.
        StringBuilder name = new StringBuilder(raw.length());
        for (String part : raw.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            if (!Character.isLetter(part.charAt(0)) && part.charAt(0) != '_') {
                name.append('_');
            }
            part.chars().forEach(c -> name.append(Character.isLetterOrDigit(c) || c == '_' ? (char) c : '_'));
        }
        return name.length() == 0 ? "record" : name.toString();
    }
}
