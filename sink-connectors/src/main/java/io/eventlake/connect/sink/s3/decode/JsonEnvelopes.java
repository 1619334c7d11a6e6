package io.eventlake.connect.sink.s3.decode;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Decodes the JSON envelopes of Kafka's {@code JsonConverter} ({@code {"schema": ..., "payload": ...}}) into the
 * same Connect values, faster: the payload is read with a streaming parser straight into the Struct (no tree), and
 * the schema part is recognised by its bytes, so a schema repeated in every record (the common case) is parsed once
 * and never hashed as a tree. An envelope this class does not expect (payload before schema, no schema) goes through
 * {@code JsonConverter} itself. Not thread-safe: one per decoding thread.
 */
public final class JsonEnvelopes {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final int CACHED_SCHEMAS = 16;

    private final List<byte[]> schemaBytes = new ArrayList<>();
    private final List<Schema> schemas = new ArrayList<>();

    /** The value of one record, as {@code JsonConverter.toConnectData} would give it. */
    public SchemaAndValue decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return SchemaAndValue.NULL;
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DataException("not a JsonConverter envelope (an object with schema and payload)");
            }
            Schema schema = null;
            boolean sawSchema = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("schema".equals(name)) {
                    sawSchema = true;
                    if (t == JsonToken.VALUE_NULL) {
                        throw new DataException("the envelope has no schema (schemas.enable=false values are not "
                            + "supported by value.format=json)");
                    }
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    schema = schema(bytes, start, end);
                } else if ("payload".equals(name)) {
                    if (!sawSchema) {
                        return payloadFirst(bytes);
                    }
                    Object value = value(p, schema, "payload");
                    return new SchemaAndValue(schema, value);
                } else {
                    p.skipChildren();
                }
            }
            throw new DataException("the envelope has no payload");
        } catch (IOException e) {
            throw new DataException("cannot decode the JSON value: " + e.getMessage(), e);
        }
    }

    private Schema schema(byte[] bytes, int start, int end) throws IOException {
        for (int i = 0; i < schemaBytes.size(); i++) {
            byte[] known = schemaBytes.get(i);
            if (Arrays.equals(known, 0, known.length, bytes, start, end)) {
                return schemas.get(i);
            }
        }
        Schema parsed = ConnectSchemas.of(TREES.readTree(bytes, start, end - start));
        if (schemaBytes.size() == CACHED_SCHEMAS) {
            schemaBytes.remove(0);
            schemas.remove(0);
        }
        schemaBytes.add(Arrays.copyOfRange(bytes, start, end));
        schemas.add(parsed);
        return parsed;
    }

    /** The rare envelope whose payload comes first: read as a tree. */
    private static SchemaAndValue payloadFirst(byte[] bytes) throws IOException {
        com.fasterxml.jackson.databind.JsonNode tree = TREES.readTree(bytes);
        Schema schema = ConnectSchemas.of(tree.get("schema"));
        try (JsonParser p = tree.get("payload").traverse()) {
            p.nextToken();
            return new SchemaAndValue(schema, value(p, schema, "payload"));
        }
    }

    /** The value at the parser's current token, for {@code schema}. */
    static Object value(JsonParser p, Schema schema, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            if (schema.defaultValue() != null) {
                return schema.defaultValue();
            }
            if (!schema.isOptional()) {
                throw new DataException(path + ": null for a required " + schema.type());
            }
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    if (t == JsonToken.VALUE_STRING) {
                        return Decimal.toLogical(schema, p.getBinaryValue());
                    }
                    BigDecimal d = p.getDecimalValue();
                    return d.scale() == scale ? d : d.setScale(scale);
                case Timestamp.LOGICAL_NAME:
                    return new java.util.Date(p.getLongValue());
                case Date.LOGICAL_NAME:
                    return Date.toLogical(schema, p.getIntValue());
                case Time.LOGICAL_NAME:
                    return Time.toLogical(schema, p.getIntValue());
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8:
                return (byte) p.getIntValue();
            case INT16:
                return (short) p.getIntValue();
            case INT32:
                return p.getIntValue();
            case INT64:
                return p.getLongValue();
            case FLOAT32:
                return p.getFloatValue();
            case FLOAT64:
                return p.getDoubleValue();
            case BOOLEAN:
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new DataException(path + ": " + t + " for a BOOLEAN");
                }
                return t == JsonToken.VALUE_TRUE;
            case STRING:
                if (t != JsonToken.VALUE_STRING) {
                    throw new DataException(path + ": " + t + " for a STRING");
                }
                return p.getText();
            case BYTES:
                return p.getBinaryValue();
            case ARRAY: {
                expect(t, JsonToken.START_ARRAY, path);
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, schema.valueSchema(), path + "[]"));
                }
                return list;
            }
            case MAP: {
                Map<Object, Object> map = new HashMap<>();
                if (schema.keySchema().type() == Schema.Type.STRING && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        map.put(key, value(p, schema.valueSchema(), path + "{}"));
                    }
                    return map;
                }
                expect(t, JsonToken.START_ARRAY, path);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    expect(p.currentToken(), JsonToken.START_ARRAY, path + "{entry}");
                    p.nextToken();
                    Object key = value(p, schema.keySchema(), path + "{key}");
                    p.nextToken();
                    Object v = value(p, schema.valueSchema(), path + "{}");
                    expect(p.nextToken(), JsonToken.END_ARRAY, path + "{entry}");
                    map.put(key, v);
                }
                return map;
            }
            case STRUCT: {
                expect(t, JsonToken.START_OBJECT, path);
                Struct struct = new Struct(schema);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    Field f = schema.field(p.currentName());
                    p.nextToken();
                    if (f == null) {
                        p.skipChildren();
                        continue;
                    }
                    struct.put(f, value(p, f.schema(), path + "." + f.name()));
                }
                for (Field f : schema.fields()) {
                    if (struct.getWithoutDefault(f.name()) == null && f.schema().defaultValue() != null) {
                        struct.put(f, f.schema().defaultValue());
                    }
                }
                struct.validate();
                return struct;
            }
            default:
                throw new DataException(path + ": unsupported type " + schema.type());
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted, String path) {
        if (actual != wanted) {
            throw new DataException(path + ": " + actual + " where " + wanted + " was expected");
        }
    }
}
