package io.eventlake.connect.source.http.event;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one JSON object into an {@link Event}: a Struct of the configured schema, or a schemaless Map when none is
 * configured; the key from {@code event.key.field}, the timestamp from {@code event.time.field} (or the time the
 * request arrived). Everything schema-derived is compiled in the constructor.
 */
public final class EventReader {

    private final Schema schema;
    private final ValueReaders.ValueReader structReader;
    private final String keyField;
    private final String timeField;
    private final TimeParser times;

    /**
     * @param schema the value schema (a struct), or null for schemaless maps
     * @param keyField the key field, or empty for null keys
     * @param timeField the event time field, or empty to stamp events with their arrival time
     * @throws IllegalArgumentException when the key or time field is not a usable field of the schema
     */
    public EventReader(Schema schema, String keyField, String timeField, TimeParser times, boolean ignoreUnknown) {
        this.schema = schema;
        this.keyField = keyField;
        this.timeField = timeField;
        this.times = times;
        if (schema == null) {
            structReader = null;
            return;
        }
        checkKeyField(schema, keyField);
        Map<String, ValueReaders.ValueReader> overrides = new LinkedHashMap<>();
        if (!timeField.isEmpty()) {
            overrides.put(timeField, timeFieldReader(schema, timeField, times));
        }
        structReader = ValueReaders.forSchema(schema, times, ignoreUnknown, overrides);
    }

    /** The key field must be a top-level field of a type with an obvious text form. */
    static void checkKeyField(Schema schema, String keyField) {
        if (keyField.isEmpty()) {
            return;
        }
        Field field = schema.field(keyField);
        if (field == null) {
            throw new IllegalArgumentException("'" + keyField + "' is not a field of event.schema");
        }
        Schema.Type type = field.schema().type();
        if (field.schema().name() != null || !(type == Schema.Type.STRING || type.isPrimitive()
            && type != Schema.Type.BYTES && type != Schema.Type.FLOAT32 && type != Schema.Type.FLOAT64)) {
            throw new IllegalArgumentException("field '" + keyField + "' is a " + describe(field.schema())
                + "; a key field must be a string, an integer or a boolean");
        }
    }

    /** The event time field holds the parsed time as a Timestamp, or as epoch millis in an int64 field. */
    private static ValueReaders.ValueReader timeFieldReader(Schema schema, String timeField, TimeParser times) {
        Field field = schema.field(timeField);
        if (field == null) {
            throw new IllegalArgumentException("'" + timeField + "' is not a field of event.schema");
        }
        if (Timestamp.LOGICAL_NAME.equals(field.schema().name())) {
            return p -> new java.util.Date(ValueReaders.time(p, times));
        }
        if (field.schema().type() == Schema.Type.INT64 && field.schema().name() == null) {
            return p -> ValueReaders.time(p, times);
        }
        throw new IllegalArgumentException("field '" + timeField + "' is a " + describe(field.schema())
            + "; the event time field must be a timestamp or an int64 (epoch milliseconds)");
    }

    private static String describe(Schema schema) {
        return schema.name() != null ? schema.name().substring(schema.name().lastIndexOf('.') + 1)
            : schema.type().getName();
    }

    public Schema valueSchema() {
        return schema;
    }

    /**
     * Reads the object the parser is on ({@link JsonToken#START_OBJECT}); leaves the parser on its
     * {@link JsonToken#END_OBJECT}.
     * @param receivedAt the request's arrival, the timestamp of events without an event time field
     */
    public Event read(JsonParser p, long receivedAt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException("", "an event must be a JSON object, got "
                + JsonTypes.describe(p.currentToken()));
        }
        return schema != null ? readStruct(p, receivedAt) : readMap(p, receivedAt);
    }

    private Event readStruct(JsonParser p, long receivedAt) throws IOException {
        Struct value = (Struct) structReader.read(p);
        String key = null;
        if (!keyField.isEmpty()) {
            Object raw = value.get(keyField);
            if (raw == null) {
                throw new InvalidEventException(keyField, "missing key field (event.key.field)");
            }
            key = raw.toString();
        }
        long timestamp = receivedAt;
        if (!timeField.isEmpty()) {
            Object raw = value.get(timeField);
            if (raw == null) {
                throw new InvalidEventException(timeField, "missing event time field (event.time.field)");
            }
            timestamp = raw instanceof java.util.Date d ? d.getTime() : (Long) raw;
        }
        return new Event(key, value, timestamp);
    }

    private Event readMap(JsonParser p, long receivedAt) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) readAny(p);
        String key = null;
        if (!keyField.isEmpty()) {
            Object raw = value.get(keyField);
            if (raw == null) {
                throw new InvalidEventException(keyField, "missing key field (event.key.field)");
            }
            if (!(raw instanceof String || raw instanceof Long || raw instanceof Boolean)) {
                throw new InvalidEventException(keyField, "a key must be a string, an integer or a boolean, got "
                    + JsonTypes.describe(raw));
            }
            key = raw.toString();
        }
        long timestamp = receivedAt;
        if (!timeField.isEmpty()) {
            Object raw = value.get(timeField);
            if (raw == null) {
                throw new InvalidEventException(timeField, "missing event time field (event.time.field)");
            }
            try {
                // The map keeps the value as sent: a schemaless converter has no type for a Date.
                timestamp = times.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException(timeField, e.getMessage());
            }
        }
        return new Event(key, value, timestamp);
    }

    /** Any JSON value as the Java types schemaless Connect data allows: Map, List, String, Long, Double, Boolean. */
    static Object readAny(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    if (map.containsKey(name)) {
                        throw new InvalidEventException(name, "appears twice");
                    }
                    p.nextToken();
                    try {
                        map.put(name, readAny(p));
                    } catch (InvalidEventException e) {
                        throw e.within(name);
                    }
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    try {
                        list.add(readAny(p));
                    } catch (InvalidEventException e) {
                        throw e.within("[" + list.size() + "]");
                    }
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new InvalidEventException("", p.getText() + " is out of the 64-bit integer range");
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new InvalidEventException("", "unexpected " + JsonTypes.describe(p.currentToken()));
        }
    }
}
