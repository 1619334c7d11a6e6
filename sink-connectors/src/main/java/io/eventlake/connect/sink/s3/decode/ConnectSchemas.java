package io.eventlake.connect.sink.s3.decode;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Connect schemas from the JSON form {@code JsonConverter} writes in its envelopes ({@code type}, {@code optional},
 * {@code name}, {@code version}, {@code doc}, {@code parameters}, {@code default}, {@code fields}, {@code items},
 * {@code keys}, {@code values}), built as {@code JsonConverter} builds them, so the schemas are equal.
 */
final class ConnectSchemas {

    private ConnectSchemas() {
    }

    static Schema of(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new DataException("a schema must be an object with a type: " + node);
        }
        String type = node.get("type").textValue();
        SchemaBuilder b = switch (type) {
            case "boolean" -> SchemaBuilder.bool();
            case "int8" -> SchemaBuilder.int8();
            case "int16" -> SchemaBuilder.int16();
            case "int32" -> SchemaBuilder.int32();
            case "int64" -> SchemaBuilder.int64();
            case "float" -> SchemaBuilder.float32();
            case "double" -> SchemaBuilder.float64();
            case "bytes" -> SchemaBuilder.bytes();
            case "string" -> SchemaBuilder.string();
            case "array" -> SchemaBuilder.array(of(node.get("items")));
            case "map" -> SchemaBuilder.map(of(node.get("keys")), of(node.get("values")));
            case "struct" -> {
                SchemaBuilder s = SchemaBuilder.struct();
                JsonNode fields = node.get("fields");
                if (fields == null || !fields.isArray()) {
                    throw new DataException("a struct schema needs a fields array: " + node);
                }
                for (JsonNode f : fields) {
                    s.field(f.path("field").asText(), of(f));
                }
                yield s;
            }
            default -> throw new DataException("unknown schema type '" + type + "'");
        };
        if (node.path("optional").asBoolean(false)) {
            b.optional();
        }
        if (node.hasNonNull("name")) {
            b.name(node.get("name").textValue());
        }
        if (node.hasNonNull("version")) {
            b.version(node.get("version").intValue());
        }
        if (node.hasNonNull("doc")) {
            b.doc(node.get("doc").textValue());
        }
        JsonNode params = node.get("parameters");
        if (params != null && params.isObject()) {
            Map<String, String> p = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                p.put(e.getKey(), e.getValue().textValue());
            }
            b.parameters(p);
        }
        JsonNode dflt = node.get("default");
        if (dflt != null && !dflt.isNull()) {
            Schema withoutDefault = b.build();
            try (JsonParser p = dflt.traverse()) {
                p.nextToken();
                b.defaultValue(JsonEnvelopes.value(p, withoutDefault, "default"));
            } catch (IOException e) {
                throw new DataException("unreadable default " + dflt, e);
            }
        }
        return b.build();
    }
}
