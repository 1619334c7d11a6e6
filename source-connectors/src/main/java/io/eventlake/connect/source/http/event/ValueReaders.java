package io.eventlake.connect.source.http.event;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Readers of JSON values into Connect values, compiled once per schema so that reading an event looks up nothing
 * but its field names. Each reader starts on the value's first token and leaves the parser on its last.
 */
final class ValueReaders {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private ValueReaders() {
    }

    /** Reads one non-null JSON value. */
    interface ValueReader {
        Object read(JsonParser p) throws IOException;
    }

    /**
     * A reader of {@code schema}; {@code overrides} replaces the readers of some top-level fields (the event time
     * field, parsed with the configured time format whatever its type).
     */
    static ValueReader forSchema(Schema schema, TimeParser times, boolean ignoreUnknown,
                                 Map<String, ValueReader> overrides) {
        if (schema.type() == Schema.Type.STRUCT) {
            return new StructReader(schema, times, ignoreUnknown, overrides);
        }
        return forSchema(schema, times, ignoreUnknown);
    }

    private static ValueReader forSchema(Schema schema, TimeParser times, boolean ignoreUnknown) {
        String logical = schema.name();
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return p -> new java.util.Date(time(p, times));
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return ValueReaders::date;
        }
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            String p = schema.parameters().get(SchemaSpec.DECIMAL_PRECISION_PARAM);
            int precision = p == null ? 38 : Integer.parseInt(p);
            return parser -> decimal(parser, precision, scale);
        }
        return switch (schema.type()) {
            case STRING -> p -> {
                expect(p, JsonToken.VALUE_STRING, "a string");
                return p.getText();
            };
            case BOOLEAN -> p -> {
                if (p.currentToken() != JsonToken.VALUE_TRUE && p.currentToken() != JsonToken.VALUE_FALSE) {
                    throw mismatch(p, "a boolean");
                }
                return p.currentToken() == JsonToken.VALUE_TRUE;
            };
            case INT8 -> p -> (byte) integer(p, Byte.MIN_VALUE, Byte.MAX_VALUE, "int8");
            case INT16 -> p -> (short) integer(p, Short.MIN_VALUE, Short.MAX_VALUE, "int16");
            case INT32 -> p -> (int) integer(p, Integer.MIN_VALUE, Integer.MAX_VALUE, "int32");
            case INT64 -> p -> integer(p, Long.MIN_VALUE, Long.MAX_VALUE, "int64");
            case FLOAT32 -> p -> (float) floating(p);
            case FLOAT64 -> ValueReaders::floating;
            case BYTES -> p -> {
                expect(p, JsonToken.VALUE_STRING, "a base64 string");
                try {
                    return Base64.getDecoder().decode(p.getText());
                } catch (IllegalArgumentException e) {
                    throw new InvalidEventException("", "not valid base64: " + e.getMessage());
                }
            };
            case ARRAY -> new ArrayReader(forSchema(schema.valueSchema(), times, ignoreUnknown),
                schema.valueSchema().isOptional());
            case MAP -> new MapReader(forSchema(schema.valueSchema(), times, ignoreUnknown),
                schema.valueSchema().isOptional());
            case STRUCT -> new StructReader(schema, times, ignoreUnknown, Map.of());
        };
    }

    /** An event time or timestamp field: a JSON string or integer, as the configured format says. */
    static long time(JsonParser p, TimeParser times) throws IOException {
        try {
            return switch (p.currentToken()) {
                case VALUE_STRING -> times.parseText(p.getText());
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        throw new IllegalArgumentException("integer " + p.getText() + " is out of range");
                    }
                    yield times.parseNumber(p.getLongValue());
                }
                default -> throw times.unexpected(JsonTypes.describe(p.currentToken()));
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("", e.getMessage());
        }
    }

    private static Object date(JsonParser p) throws IOException {
        expect(p, JsonToken.VALUE_STRING, "an ISO date string such as 2026-11-24");
        try {
            return new java.util.Date(LocalDate.parse(p.getText()).toEpochDay() * MILLIS_PER_DAY);
        } catch (DateTimeException e) {
            throw new InvalidEventException("", "'" + JsonTypes.clip(p.getText()) + "' is not an ISO date such as "
                + "2026-11-24");
        }
    }

    private static BigDecimal decimal(JsonParser p, int precision, int scale) throws IOException {
        BigDecimal value;
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getDecimalValue();
        } else if (t == JsonToken.VALUE_STRING) {
            try {
                value = new BigDecimal(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidEventException("", "'" + JsonTypes.clip(p.getText()) + "' is not a decimal number");
            }
        } else {
            throw mismatch(p, "a decimal number");
        }
        BigDecimal scaled;
        try {
            // Never round money: a value that needs rounding is the client's mistake.
            scaled = value.setScale(scale);
        } catch (ArithmeticException e) {
            throw new InvalidEventException("", value.toPlainString() + " has more than " + scale
                + " decimal places");
        }
        if (scaled.precision() > precision) {
            throw new InvalidEventException("", value.toPlainString() + " has more than " + precision
                + " digits (decimal(" + precision + "," + scale + "))");
        }
        return scaled;
    }

    private static long integer(JsonParser p, long min, long max, String type) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw mismatch(p, "an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidEventException("", p.getText() + " is out of the range of " + type);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw new InvalidEventException("", v + " is out of the range of " + type);
        }
        return v;
    }

    private static double floating(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw mismatch(p, "a number");
        }
        return p.getDoubleValue();
    }

    private static void expect(JsonParser p, JsonToken token, String what) {
        if (p.currentToken() != token) {
            throw mismatch(p, what);
        }
    }

    static InvalidEventException mismatch(JsonParser p, String expected) {
        return new InvalidEventException("", "expected " + expected + ", got " + JsonTypes.describe(p.currentToken()));
    }

    /** Reads a JSON object into a Struct: unknown fields rejected (or skipped), missing required fields rejected. */
    static final class StructReader implements ValueReader {
        private final Schema schema;
        private final Map<String, Integer> index = new HashMap<>();
        private final Field[] fields;
        private final ValueReader[] readers;
        private final boolean ignoreUnknown;

        StructReader(Schema schema, TimeParser times, boolean ignoreUnknown, Map<String, ValueReader> overrides) {
            this.schema = schema;
            this.ignoreUnknown = ignoreUnknown;
            List<Field> all = schema.fields();
            fields = all.toArray(new Field[0]);
            readers = new ValueReader[fields.length];
            for (int i = 0; i < fields.length; i++) {
                index.put(fields[i].name(), i);
                ValueReader override = overrides.get(fields[i].name());
                readers[i] = override != null ? override : forSchema(fields[i].schema(), times, ignoreUnknown);
            }
        }

        @Override
        public Struct read(JsonParser p) throws IOException {
            expect(p, JsonToken.START_OBJECT, "an object");
            Struct struct = new Struct(schema);
            boolean[] seen = new boolean[fields.length];
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                Integer i = index.get(name);
                if (i == null) {
                    if (ignoreUnknown) {
                        p.skipChildren();
                        continue;
                    }
                    throw new InvalidEventException(name, "unknown field (not in event.schema; set "
                        + "event.unknown.fields=ignore to drop such fields)");
                }
                if (seen[i]) {
                    throw new InvalidEventException(name, "appears twice");
                }
                seen[i] = true;
                Field field = fields[i];
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    if (!field.schema().isOptional()) {
                        throw new InvalidEventException(name, "must not be null");
                    }
                    continue;
                }
                try {
                    struct.put(field, readers[i].read(p));
                } catch (InvalidEventException e) {
                    throw e.within(name);
                }
            }
            for (int i = 0; i < fields.length; i++) {
                if (!seen[i] && !fields[i].schema().isOptional()) {
                    throw new InvalidEventException(fields[i].name(), "missing required field");
                }
            }
            return struct;
        }
    }

    private static final class ArrayReader implements ValueReader {
        private final ValueReader elements;
        private final boolean nullable;

        ArrayReader(ValueReader elements, boolean nullable) {
            this.elements = elements;
            this.nullable = nullable;
        }

        @Override
        public List<Object> read(JsonParser p) throws IOException {
            expect(p, JsonToken.START_ARRAY, "an array");
            List<Object> list = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                String at = "[" + list.size() + "]";
                if (t == JsonToken.VALUE_NULL) {
                    if (!nullable) {
                        throw new InvalidEventException(at, "must not be null");
                    }
                    list.add(null);
                    continue;
                }
                try {
                    list.add(elements.read(p));
                } catch (InvalidEventException e) {
                    throw e.within(at);
                }
            }
            return list;
        }
    }

    private static final class MapReader implements ValueReader {
        private final ValueReader values;
        private final boolean nullable;

        MapReader(ValueReader values, boolean nullable) {
            this.values = values;
            this.nullable = nullable;
        }

        @Override
        public Map<String, Object> read(JsonParser p) throws IOException {
            expect(p, JsonToken.START_OBJECT, "an object");
            Map<String, Object> map = new LinkedHashMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                if (map.containsKey(key)) {
                    throw new InvalidEventException(key, "appears twice");
                }
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NULL) {
                    if (!nullable) {
                        throw new InvalidEventException(key, "must not be null");
                    }
                    map.put(key, null);
                    continue;
                }
                try {
                    map.put(key, values.read(p));
                } catch (InvalidEventException e) {
                    throw e.within(key);
                }
            }
            return map;
        }
    }
}
