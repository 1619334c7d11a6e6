package io.eventlake.connect.sink.s3.parquet;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Optional columns with a record's Kafka metadata, after the value's fields: the topic, partition and offset the
 * record was read from (before any transform renamed its topic), its timestamp, its key (as text) and its headers
 * (as a map of text). They make every row traceable to its place in Kafka.
 */
public enum MetadataColumn {
    TOPIC {
        @Override
        Type type(String name) {
            return Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            out.addBinary(utf8(r.originalTopic()));
        }
    },
    PARTITION {
        @Override
        Type type(String name) {
            return Types.required(PrimitiveTypeName.INT32).named(name);
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            out.addInteger(r.originalKafkaPartition());
        }
    },
    OFFSET {
        @Override
        Type type(String name) {
            return Types.required(PrimitiveTypeName.INT64).named(name);
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            out.addLong(r.originalKafkaOffset());
        }
    },
    TIMESTAMP {
        @Override
        Type type(String name) {
            return Types.optional(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
        }

        @Override
        boolean present(SinkRecord r) {
            return r.timestamp() != null;
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            out.addLong(r.timestamp());
        }
    },
    KEY {
        @Override
        Type type(String name) {
            return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        }

        @Override
        boolean present(SinkRecord r) {
            return r.key() != null;
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            out.addBinary(utf8(text(r.key())));
        }
    },
    HEADERS {
        @Override
        Type type(String name) {
            return ParquetTypes.group(Repetition.OPTIONAL, name, LogicalTypeAnnotation.mapType(), List.of(
                new GroupType(Repetition.REPEATED, "key_value",
                Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("key"),
                Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("value"))));
        }

        @Override
        boolean present(SinkRecord r) {
            return !r.headers().isEmpty();
        }

        @Override
        void writeValue(RecordConsumer out, SinkRecord r) {
            // One entry per key: the last header of a repeated key wins, as a map can hold only one.
            Map<String, Header> byKey = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                byKey.put(h.key(), h);
            }
            out.startGroup();
            out.startField("key_value", 0);
            for (Header h : byKey.values()) {
                out.startGroup();
                out.startField("key", 0);
                out.addBinary(utf8(h.key()));
                out.endField("key", 0);
                if (h.value() != null) {
                    out.startField("value", 1);
                    out.addBinary(utf8(h.value() instanceof byte[] || h.value() instanceof ByteBuffer
                        ? text(h.value()) : Values.convertToString(h.schema(), h.value())));
                    out.endField("value", 1);
                }
                out.endGroup();
            }
            out.endField("key_value", 0);
            out.endGroup();
        }
    };

    abstract Type type(String name);

    abstract void writeValue(RecordConsumer out, SinkRecord r);

    boolean present(SinkRecord r) {
        return true;
    }

    /** The column's Parquet type under {@code prefix + name()}, e.g. {@code kafka_offset}. */
    public Type typeWithPrefix(String prefix) {
        return type(columnName(prefix));
    }

    public String columnName(String prefix) {
        return prefix + name().toLowerCase(Locale.ROOT);
    }

    void write(RecordConsumer out, String name, int index, SinkRecord r) {
        if (present(r)) {
            out.startField(name, index);
            writeValue(out, r);
            out.endField(name, index);
        }
    }

    /** A byte-array Binary: compares faster in Parquet's dictionaries than Binary.fromString's. */
    static Binary utf8(String s) {
        return Binary.fromConstantByteArray(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Keys and byte values as text: strings as they are, bytes as Base64, anything else in Connect's string form. */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return Base64.getEncoder().encodeToString(b);
        }
        return Values.convertToString(null, value);
    }
}
