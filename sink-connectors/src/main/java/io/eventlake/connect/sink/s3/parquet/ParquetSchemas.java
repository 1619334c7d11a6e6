package io.eventlake.connect.sink.s3.parquet;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Maps a Connect schema to the Parquet schema of the files it lands in: the lake's view of a schema. Two Connect
 * schemas that map to the same Parquet schema (they differ only in docs, versions, parameters or record names)
 * land in the same files. Field names are kept as they are (Parquet allows any name, hyphens and leading digits
 * included). Logical types map to their Parquet counterparts:
 * <ul>
 *   <li>Decimal: DECIMAL(precision, scale) as FIXED_LEN_BYTE_ARRAY, readable by every engine; the precision comes
 *       from the {@code connect.decimal.precision} schema parameter that converters set, else 38;</li>
 *   <li>Timestamp: TIMESTAMP(MILLIS, UTC); Date: DATE; Time: TIME(MILLIS), a time of day without zone, as
 *       Connect defines it;</li>
 *   <li>INT8/INT16: INT32 annotated INT(8)/INT(16);</li>
 *   <li>Array: the three-level LIST; Map: MAP with a required key; Struct: a group.</li>
 * </ul>
 */
public final class ParquetSchemas {

    /** Connect's Decimal has no precision; converters that know it put it in this schema parameter. */
    public static final String DECIMAL_PRECISION_PARAM = "connect.decimal.precision";
    static final int DEFAULT_DECIMAL_PRECISION = 38;
    /** Name of every file's message type: the lake compares schemas by their fields, not their names. */
    public static final String MESSAGE_NAME = "event";

    private ParquetSchemas() {
    }

    /** The Parquet schema for a record value schema (a Struct), plus extra top-level columns after its fields. */
    public static MessageType of(Schema valueSchema, List<Type> extraColumns) {
        if (valueSchema.type() != Schema.Type.STRUCT) {
            throw new DataException("the Parquet sink writes Struct values; got a value schema of type "
                + valueSchema.type());
        }
        List<Type> fields = new ArrayList<>(valueSchema.fields().size() + extraColumns.size());
        for (Field field : valueSchema.fields()) {
            fields.add(type(field.name(), field.schema(), field.name()));
        }
        fields.addAll(extraColumns);
        return new MessageType(MESSAGE_NAME, fields);
    }

    static Type type(String name, Schema schema, String path) {
        Repetition repetition = schema.isOptional() ? Repetition.OPTIONAL : Repetition.REQUIRED;
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            String p = schema.parameters().get(DECIMAL_PRECISION_PARAM);
            int precision = p == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(p);
            if (precision < 1 || scale > precision) {
                throw new DataException("field '" + path + "': decimal precision " + precision + " and scale "
                    + scale + " cannot be written to Parquet");
            }
            return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
                .length(decimalBytes(precision))
                .as(LogicalTypeAnnotation.decimalType(scale, precision)).named(name);
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType())
                .named(name);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition)
                .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
        }
        return switch (schema.type()) {
            case INT8 -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                .as(LogicalTypeAnnotation.intType(8, true)).named(name);
            case INT16 -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                .as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
            case FLOAT64 -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                .as(LogicalTypeAnnotation.stringType()).named(name);
            case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
            case ARRAY -> ParquetTypes.group(repetition, name, LogicalTypeAnnotation.listType(), List.of(
                new GroupType(Repetition.REPEATED, "list", List.of(type("element", schema.valueSchema(),
                    path + "[]")))));
            case MAP -> {
                Schema key = schema.keySchema();
                if (key.type() == Schema.Type.ARRAY || key.type() == Schema.Type.MAP
                    || key.type() == Schema.Type.STRUCT) {
                    throw new DataException("field '" + path + "': map keys must be primitive for Parquet, got "
                        + key.type());
                }
                Type keyType = required(type("key", key, path + "{key}").asPrimitiveType());
                yield ParquetTypes.group(repetition, name, LogicalTypeAnnotation.mapType(), List.of(
                    new GroupType(Repetition.REPEATED, "key_value", List.of(keyType,
                        type("value", schema.valueSchema(), path + "{}")))));
            }
            case STRUCT -> {
                List<Type> fields = new ArrayList<>(schema.fields().size());
                for (Field f : schema.fields()) {
                    fields.add(type(f.name(), f.schema(), path + "." + f.name()));
                }
                if (fields.isEmpty()) {
                    throw new DataException("field '" + path + "' is a Struct without fields; Parquet has no empty "
                        + "groups");
                }
                yield new GroupType(repetition, name, fields);
            }
        };
    }

    /** Map keys are required in Parquet, even where the Connect key schema is optional. */
    private static PrimitiveType required(PrimitiveType t) {
        Types.PrimitiveBuilder<PrimitiveType> b = Types.primitive(t.getPrimitiveTypeName(), Repetition.REQUIRED)
            .as(t.getLogicalTypeAnnotation());
        if (t.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
            b.length(t.getTypeLength());
        }
        return b.named(t.getName());
    }

    /** Bytes of the smallest two's complement that holds every unscaled value of {@code precision} digits. */
    static int decimalBytes(int precision) {
        int bytes = 1;
        while (Math.pow(2.0, 8.0 * bytes - 1) < Math.pow(10.0, precision)) {
            bytes++;
        }
        return bytes;
    }
}
