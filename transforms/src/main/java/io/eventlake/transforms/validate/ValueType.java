package io.eventlake.transforms.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.connect.data.Struct;

/**
 * The types a {@code types} rule can ask for, by the Java class Connect uses for each schema type, so a Struct field
 * and a schemaless Map entry are checked the same way.
 */
enum ValueType {
    STRING, BOOLEAN, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64,
    /** Any whole number: int8 to int64. */
    INTEGER,
    /** Any number, decimals included. */
    NUMBER,
    /** Connect's Decimal logical type (BigDecimal). */
    DECIMAL,
    /** Connect's Timestamp, Date and Time logical types (java.util.Date). */
    TIMESTAMP,
    BYTES, ARRAY, MAP, STRUCT,
    /** A Struct or a Map: a nested record in either shape. */
    OBJECT;

    static final String NAMES = Arrays.stream(values()).map(ValueType::label).collect(Collectors.joining(", "));

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ValueType parse(String name) {
        for (ValueType t : values()) {
            if (t.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type '" + name + "' (one of " + NAMES + ")");
    }

    boolean matches(Object v) {
        return switch (this) {
            case STRING -> v instanceof String;
            case BOOLEAN -> v instanceof Boolean;
            case INT8 -> v instanceof Byte;
            case INT16 -> v instanceof Short;
            case INT32 -> v instanceof Integer;
            case INT64 -> v instanceof Long;
            case FLOAT32 -> v instanceof Float;
            case FLOAT64 -> v instanceof Double;
            case INTEGER -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger;
            case NUMBER -> v instanceof Number;
            case DECIMAL -> v instanceof BigDecimal;
            case TIMESTAMP -> v instanceof Date;
            case BYTES -> v instanceof byte[] || v instanceof ByteBuffer;
            case ARRAY -> v instanceof List;
            case MAP -> v instanceof Map;
            case STRUCT -> v instanceof Struct;
            case OBJECT -> v instanceof Struct || v instanceof Map;
        };
    }

    /** The most specific type name of a value, for messages. */
    static String describe(Object v) {
        for (ValueType t : values()) {
            if (t.matches(v)) {
                return t.label();
            }
        }
        return v.getClass().getSimpleName();
    }
}
