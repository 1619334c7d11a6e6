package io.eventlake.connect.sink.s3.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Writes records of one Connect value schema as rows of one Parquet schema, which may be wider (the lake schema of
 * the topic): columns the record's schema lacks are written as null. Built once per (record schema, file schema)
 * pair; per record it only walks the plan. Values are read without Connect's defaults, so an explicit null lands as
 * null. Anything that could fail half-way through a row (a null in a required column, a decimal that does not fit)
 * is checked before the row is started, so a bad record never leaves a half-written row behind.
 */
public final class RowWriter {

    private static final long MILLIS_PER_DAY = 24L * 60 * 60 * 1000;

    private final Schema source;
    private final MessageType target;
    private final Column[] columns;
    private final boolean needsCheck;

    private RowWriter(Schema source, MessageType target, Column[] columns) {
        this.source = source;
        this.target = target;
        this.columns = columns;
        boolean risky = false;
        for (Column c : columns) {
            risky |= c.value != null && c.value.risky();
        }
        this.needsCheck = risky;
    }

    /**
     * @param metadata the Kafka metadata columns of the file schema, by column name; other target columns are read
     *                 from the value by name
     */
    public static RowWriter of(Schema source, MessageType target, Map<String, MetadataColumn> metadata) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < target.getFieldCount(); i++) {
            Type t = target.getType(i);
            MetadataColumn meta = metadata.get(t.getName());
            if (meta != null) {
                columns.add(new Column(t.getName(), i, null, null, meta));
                continue;
            }
            Field f = source.field(t.getName());
            if (f == null) {
                requireOptional(t, t.getName());
                continue;
            }
            columns.add(new Column(t.getName(), i, f, value(f.schema(), t, t.getName()), null));
        }
        return new RowWriter(source, target, columns.toArray(new Column[0]));
    }

    public Schema source() {
        return source;
    }

    public MessageType target() {
        return target;
    }

    /** Throws a {@link DataException} naming the field when the row cannot be written; writes nothing. */
    public void check(Struct value) {
        if (!needsCheck) {
            return;
        }
        for (Column c : columns) {
            if (c.value != null && c.value.risky()) {
                c.value.check(value.getWithoutDefault(c.field.name()));
            }
        }
    }

    /** Writes one row; call {@link #check} first. */
    public void write(RecordConsumer out, SinkRecord record, Struct value) {
        out.startMessage();
        for (Column c : columns) {
            if (c.meta != null) {
                c.meta.write(out, c.name, c.index, record);
                continue;
            }
            Object v = value.getWithoutDefault(c.field.name());
            if (v != null) {
                out.startField(c.name, c.index);
                c.value.write(out, v);
                out.endField(c.name, c.index);
            }
        }
        out.endMessage();
    }

    private record Column(String name, int index, Field field, ValueWriter value, MetadataColumn meta) {
    }

    /** Writes one non-null value of a column (or of a list element, map key or value). */
    interface ValueWriter {
        void write(RecordConsumer out, Object value);

        /**
         * True when writing may fail for a value that Connect accepted, so {@link #check} must run first. A check
         * accepts null (a missing optional value) unless the column requires a value.
         */
        default boolean risky() {
            return false;
        }

        default void check(Object value) {
        }
    }

    private static void requireOptional(Type t, String path) {
        if (t.getRepetition() == Type.Repetition.REQUIRED) {
            throw new DataException("column '" + path + "' is required in the file schema but the record's schema "
                + "has no such field");
        }
    }

    private static ValueWriter value(Schema schema, Type t, String path) {
        ValueWriter w = valueOfType(schema, t, path);
        if (t.getRepetition() == Type.Repetition.REQUIRED && schema.isOptional()) {
            // Only possible for nested values the lake schema declares required: check before writing.
            return nonNull(w, path);
        }
        return w;
    }

    private static ValueWriter nonNull(ValueWriter w, String path) {
        return new ValueWriter() {
            @Override
            public void write(RecordConsumer out, Object value) {
                w.write(out, value);
            }

            @Override
            public boolean risky() {
                return true;
            }

            @Override
            public void check(Object value) {
                if (value == null) {
                    throw new DataException("field '" + path + "' is null but required in the lake's schema");
                }
                w.check(value);
            }
        };
    }

    private static ValueWriter valueOfType(Schema schema, Type t, String path) {
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
            if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                return list(schema, g, path);
            }
            if (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                return map(schema, g, path);
            }
            return struct(schema, g, path);
        }
        PrimitiveType p = t.asPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case INT32:
                if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return (out, v) -> out.addInteger((int) Math.floorDiv(((java.util.Date) v).getTime(),
                        MILLIS_PER_DAY));
                }
                if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return (out, v) -> out.addInteger((int) Math.floorMod(((java.util.Date) v).getTime(),
                        MILLIS_PER_DAY));
                }
                return (out, v) -> out.addInteger(((Number) v).intValue());
            case INT64:
                if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
                    return (out, v) -> out.addLong(((java.util.Date) v).getTime());
                }
                return (out, v) -> out.addLong(((Number) v).longValue());
            case FLOAT:
                return (out, v) -> out.addFloat((Float) v);
            case DOUBLE:
                // A float of an older schema into a column widened to double.
                return (out, v) -> out.addDouble(((Number) v).doubleValue());
            case BOOLEAN:
                return (out, v) -> out.addBoolean((Boolean) v);
            case BINARY:
                if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
                    // A byte-array Binary: Binary.fromString's buffer-backed one compares slowly in the dictionary.
                    return (out, v) -> out.addBinary(Binary.fromConstantByteArray(((String) v)
                        .getBytes(StandardCharsets.UTF_8)));
                }
                return (out, v) -> out.addBinary(v instanceof byte[] b ? Binary.fromConstantByteArray(b)
                    : Binary.fromConstantByteBuffer(((ByteBuffer) v).duplicate()));
            case FIXED_LEN_BYTE_ARRAY:
                if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return decimal(d.getScale(), d.getPrecision(), p.getTypeLength(), path);
                }
                return (out, v) -> out.addBinary(Binary.fromConstantByteArray((byte[]) v));
            default:
                throw new DataException("field '" + path + "': Parquet type " + p + " is not written by the sink");
        }
    }

    private static ValueWriter decimal(int scale, int precision, int length, String path) {
        return new ValueWriter() {
            @Override
            public void write(RecordConsumer out, Object value) {
                out.addBinary(Binary.fromConstantByteArray(fixed(((BigDecimal) value).unscaledValue(), length)));
            }

            @Override
            public boolean risky() {
                return true;
            }

            @Override
            public void check(Object value) {
                if (value == null) {
                    return;
                }
                BigDecimal d = (BigDecimal) value;
                if (d.scale() != scale) {
                    throw new DataException("field '" + path + "': decimal " + d.toPlainString() + " has scale "
                        + d.scale() + ", the schema says " + scale);
                }
                if (d.precision() > precision) {
                    throw new DataException("field '" + path + "': decimal " + d.toPlainString() + " has more than "
                        + precision + " digits (the precision of its column)");
                }
            }
        };
    }

    /** Big-endian two's complement, sign-extended to {@code length} bytes. */
    static byte[] fixed(BigInteger unscaled, int length) {
        byte[] raw = unscaled.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        byte[] out = new byte[length];
        byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0x00);
        int offset = length - raw.length;
        for (int i = 0; i < offset; i++) {
            out[i] = pad;
        }
        System.arraycopy(raw, 0, out, offset, raw.length);
        return out;
    }

    private static ValueWriter struct(Schema schema, GroupType g, String path) {
        if (schema.type() != Schema.Type.STRUCT) {
            throw new DataException("field '" + path + "' is a " + schema.type() + " but a Struct in the lake schema");
        }
        int n = g.getFieldCount();
        String[] names = new String[n];
        Field[] fields = new Field[n];
        ValueWriter[] writers = new ValueWriter[n];
        boolean risky = false;
        for (int i = 0; i < n; i++) {
            Type t = g.getType(i);
            names[i] = t.getName();
            fields[i] = schema.field(t.getName());
            if (fields[i] == null) {
                requireOptional(t, path + "." + t.getName());
            } else {
                writers[i] = value(fields[i].schema(), t, path + "." + t.getName());
                risky |= writers[i].risky();
            }
        }
        boolean anyRisky = risky;
        return new ValueWriter() {
            @Override
            public void write(RecordConsumer out, Object value) {
                Struct s = (Struct) value;
                out.startGroup();
                for (int i = 0; i < n; i++) {
                    if (fields[i] == null) {
                        continue;
                    }
                    Object v = s.getWithoutDefault(fields[i].name());
                    if (v != null) {
                        out.startField(names[i], i);
                        writers[i].write(out, v);
                        out.endField(names[i], i);
                    }
                }
                out.endGroup();
            }

            @Override
            public boolean risky() {
                return anyRisky;
            }

            @Override
            public void check(Object value) {
                if (value == null) {
                    return;
                }
                Struct s = (Struct) value;
                for (int i = 0; i < n; i++) {
                    if (writers[i] != null && writers[i].risky()) {
                        writers[i].check(s.getWithoutDefault(fields[i].name()));
                    }
                }
            }
        };
    }

    private static ValueWriter list(Schema schema, GroupType g, String path) {
        if (schema.type() != Schema.Type.ARRAY) {
            throw new DataException("field '" + path + "' is a " + schema.type() + " but a list in the lake schema");
        }
        Type elementType = g.getType(0).asGroupType().getType(0);
        ValueWriter element = value(schema.valueSchema(), elementType, path + "[]");
        boolean elementRequired = elementType.getRepetition() == Type.Repetition.REQUIRED;
        return new ValueWriter() {
            @Override
            public void write(RecordConsumer out, Object value) {
                List<?> items = (List<?>) value;
                out.startGroup();
                if (!items.isEmpty()) {
                    out.startField("list", 0);
                    for (Object item : items) {
                        out.startGroup();
                        if (item != null) {
                            out.startField("element", 0);
                            element.write(out, item);
                            out.endField("element", 0);
                        }
                        out.endGroup();
                    }
                    out.endField("list", 0);
                }
                out.endGroup();
            }

            @Override
            public boolean risky() {
                return element.risky() || elementRequired;
            }

            @Override
            public void check(Object value) {
                if (value == null) {
                    return;
                }
                for (Object item : (List<?>) value) {
                    if (item == null) {
                        if (elementRequired) {
                            throw new DataException("field '" + path + "' holds a null element; its elements are "
                                + "required in the lake schema");
                        }
                    } else if (element.risky()) {
                        element.check(item);
                    }
                }
            }
        };
    }

    private static ValueWriter map(Schema schema, GroupType g, String path) {
        if (schema.type() != Schema.Type.MAP) {
            throw new DataException("field '" + path + "' is a " + schema.type() + " but a map in the lake schema");
        }
        GroupType kv = g.getType(0).asGroupType();
        ValueWriter key = valueOfType(schema.keySchema(), kv.getType(0), path + "{key}");
        Type valueType = kv.getType(1);
        ValueWriter val = value(schema.valueSchema(), valueType, path + "{}");
        boolean valueRequired = valueType.getRepetition() == Type.Repetition.REQUIRED;
        return new ValueWriter() {
            @Override
            public void write(RecordConsumer out, Object value) {
                Map<?, ?> entries = (Map<?, ?>) value;
                out.startGroup();
                if (!entries.isEmpty()) {
                    out.startField("key_value", 0);
                    for (Map.Entry<?, ?> e : entries.entrySet()) {
                        out.startGroup();
                        out.startField("key", 0);
                        key.write(out, e.getKey());
                        out.endField("key", 0);
                        if (e.getValue() != null) {
                            out.startField("value", 1);
                            val.write(out, e.getValue());
                            out.endField("value", 1);
                        }
                        out.endGroup();
                    }
                    out.endField("key_value", 0);
                }
                out.endGroup();
            }

            @Override
            public boolean risky() {
                return true;
            }

            @Override
            public void check(Object value) {
                if (value == null) {
                    return;
                }
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    if (e.getKey() == null) {
                        throw new DataException("field '" + path + "' has a null map key; Parquet map keys are "
                            + "required");
                    }
                    key.check(e.getKey());
                    if (e.getValue() == null) {
                        if (valueRequired) {
                            throw new DataException("field '" + path + "' has a null value for key " + e.getKey()
                                + "; its values are required in the lake schema");
                        }
                    } else if (val.risky()) {
                        val.check(e.getValue());
                    }
                }
            }
        };
    }
}
