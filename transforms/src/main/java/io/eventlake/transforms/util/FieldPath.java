package io.eventlake.transforms.util;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A field of a record value named by a dotted path ({@code amount}, {@code device.id}, {@code geo.lat}), read from a
 * Struct or from a schemaless Map the same way. Parsed once, at configuration; reading never throws for a missing
 * field: it yields null, and {@link #isPresent} tells missing from null.
 */
public final class FieldPath {

    private final String path;
    private final String[] segments;

    /** The field of a top-level path in the last schema read, so records of one schema skip the name lookup. */
    private record Resolved(Schema schema, Field field) {
    }

    private volatile Resolved resolved;

    private FieldPath(String path, String[] segments) {
        this.path = path;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException for an empty path or an empty segment ({@code a..b}, {@code .a}) */
    public static FieldPath parse(String path) {
        String p = path == null ? "" : path.trim();
        String[] segments = p.split("\\.", -1);
        if (p.isEmpty() || Arrays.stream(segments).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + path + "' is not a field path (names separated by dots, "
                + "e.g. amount or device.id)");
        }
        return new FieldPath(p, segments);
    }

    public String path() {
        return path;
    }

    public List<String> segments() {
        return List.of(segments);
    }

    /** The value at the path in a Struct or Map value, or null when it, or a parent, is missing or null. */
    public Object get(Object value) {
        if (segments.length == 1 && value instanceof Struct struct) {
            Field field = topLevelField(struct.schema());
            return field == null ? null : struct.get(field);
        }
        Object current = value;
        for (String segment : segments) {
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(segment);
                current = field == null ? null : struct.get(field);
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(segment);
            } else {
                return null;
            }
        }
        return current;
    }

    private Field topLevelField(Schema schema) {
        Resolved r = resolved;
        if (r == null || r.schema != schema) {
            r = new Resolved(schema, schema.field(segments[0]));
            resolved = r;
        }
        return r.field;
    }

    /** True when every segment of the path exists (its value may be null). */
    public boolean isPresent(Object value) {
        Object current = value;
        for (String segment : segments) {
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(segment);
                if (field == null) {
                    return false;
                }
                current = struct.get(field);
            } else if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(segment)) {
                    return false;
                }
                current = map.get(segment);
            } else {
                return false;
            }
        }
        return true;
    }

    /** The schema of the field at the path in a Struct schema, or null when the path does not exist in it. */
    public Schema schemaIn(Schema schema) {
        Schema current = schema;
        for (String segment : segments) {
            if (current == null || current.type() != Schema.Type.STRUCT) {
                return null;
            }
            Field field = current.field(segment);
            current = field == null ? null : field.schema();
        }
        return current;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
