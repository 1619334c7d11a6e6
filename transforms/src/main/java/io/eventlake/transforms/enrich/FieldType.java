package io.eventlake.transforms.enrich;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.kafka.connect.data.Schema;

/**
 * The type of a field added from reference data: declared in the config, or inferred once from the data. Values
 * are converted to it when they are loaded, so a lookup hands out ready values.
 */
enum FieldType {
    STRING(Schema.OPTIONAL_STRING_SCHEMA),
    BOOLEAN(Schema.OPTIONAL_BOOLEAN_SCHEMA),
    INT32(Schema.OPTIONAL_INT32_SCHEMA),
    INT64(Schema.OPTIONAL_INT64_SCHEMA),
    FLOAT32(Schema.OPTIONAL_FLOAT32_SCHEMA),
    FLOAT64(Schema.OPTIONAL_FLOAT64_SCHEMA);

    static final String NAMES = Arrays.stream(values()).map(FieldType::label).collect(Collectors.joining(", "));

    private final Schema schema;

    FieldType(Schema schema) {
        this.schema = schema;
    }

    Schema schema() {
        return schema;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FieldType parse(String name) {
        for (FieldType t : values()) {
            if (t.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type '" + name + "' (one of " + NAMES + ")");
    }

    /**
     * The value as this type.
     * @throws IllegalArgumentException when it does not fit (text that is no number, a fraction for a whole type)
     */
    Object convert(Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return switch (this) {
                case STRING -> raw instanceof BigDecimal d ? d.toPlainString() : raw.toString();
                case BOOLEAN -> toBoolean(raw);
                case INT32 -> Math.toIntExact(toLong(raw));
                case INT64 -> toLong(raw);
                case FLOAT32 -> (float) toDouble(raw);
                case FLOAT64 -> toDouble(raw);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is not " + label());
        }
    }

    private Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = raw.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException("'" + raw + "' is not boolean (true or false)");
    }

    private static long toLong(Object raw) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact();
        }
        return new BigDecimal(raw.toString().trim()).longValueExact();
    }

    private static double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        return Double.parseDouble(raw.toString().trim());
    }

    /**
     * The narrowest type every non-null value fits: all booleans, all whole numbers (int64), all numbers
     * (float64); anything else, a mix, or no value at all gives string. With {@code fromText} (CSV cells), text is
     * looked at too: {@code true}/{@code false}, whole numbers and decimal numbers count as such, except numbers
     * with a leading zero ({@code 01234} stays text: zip codes, ids).
     */
    static FieldType infer(Iterable<Object> values, boolean fromText) {
        FieldType found = null;
        for (Object v : values) {
            if (v == null) {
                continue;
            }
            FieldType t = classify(v, fromText);
            if (found == null || found == t) {
                found = t;
            } else if ((found == INT64 || found == FLOAT64) && (t == INT64 || t == FLOAT64)) {
                found = FLOAT64;
            } else {
                return STRING;
            }
        }
        return found == null ? STRING : found;
    }

    private static FieldType classify(Object v, boolean fromText) {
        if (v instanceof Boolean) {
            return BOOLEAN;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return INT64;
        }
        if (v instanceof Double || v instanceof Float) {
            return FLOAT64;
        }
        if (fromText && v instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return BOOLEAN;
            }
            if (t.matches("-?(0|[1-9]\\d{0,17})")) {
                return INT64;
            }
            if (t.matches("-?(0|[1-9]\\d*)\\.\\d+([eE][-+]?\\d+)?")) {
                return FLOAT64;
            }
        }
        return STRING;
    }
}
