package io.eventlake.connect.source.http.event;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The compact notation of {@code event.schema}: a comma-separated list of {@code name:type} fields, a trailing
 * {@code ?} making a field optional (it may be null or absent), e.g.
 * <pre>order_id:string, amount:decimal(12,2), placed_at:timestamp, note:string?,
 * items:array&lt;struct&lt;sku:string, qty:int32&gt;&gt;, tags:map&lt;string&gt;?</pre>
 * Types: {@code string boolean int8 int16 int32 int64 float32 float64 bytes} (base64 in JSON), {@code timestamp}
 * (Connect Timestamp), {@code date} (Connect Date, ISO {@code yyyy-MM-dd} in JSON), {@code decimal(p,s)} (Connect
 * Decimal of scale s; the precision p travels as the {@code connect.decimal.precision} parameter the S3 sink reads),
 * {@code array<T>}, {@code map<T>} (string keys) and {@code struct<fields>}; element types may end in {@code ?}.
 * Field names are Avro-compatible ({@code [A-Za-z_][A-Za-z0-9_]*}) because the events end up in Parquet.
 * A one-line notation fits a JSON connector config better than Connect's JSON schema envelope, which would have to
 * be escaped inside a string.
 */
public final class SchemaSpec {

    /** The schema parameter the S3 sink takes a decimal's precision from. */
    public static final String DECIMAL_PRECISION_PARAM = "connect.decimal.precision";

    private final String text;
    private int pos;

    private SchemaSpec(String text) {
        this.text = text;
    }

    /**
     * Parses a field list into a required struct schema.
     * @param name the schema's name, or null
     * @throws IllegalArgumentException naming the position and the problem
     */
    public static Schema parse(String spec, String name) {
        SchemaSpec parser = new SchemaSpec(spec);
        SchemaBuilder struct = SchemaBuilder.struct();
        if (name != null && !name.isBlank()) {
            struct.name(name.trim());
        }
        parser.fields(struct);
        parser.skipSpaces();
        if (parser.pos < spec.length()) {
            throw parser.error("expected ',' or the end, got '" + spec.charAt(parser.pos) + "'");
        }
        return struct.build();
    }

    private void fields(SchemaBuilder struct) {
        Set<String> names = new HashSet<>();
        do {
            skipSpaces();
            int at = pos;
            String name = identifier("a field name");
            if (!names.add(name)) {
                pos = at;
                throw error("field '" + name + "' is defined twice");
            }
            expect(':');
            struct.field(name, typeWithOptional());
            skipSpaces();
        } while (accept(','));
    }

    private Schema typeWithOptional() {
        SchemaBuilder type = type();
        skipSpaces();
        if (accept('?')) {
            type.optional();
        }
        return type.build();
    }

    private SchemaBuilder type() {
        skipSpaces();
        int at = pos;
        String word = identifier("a type").toLowerCase(Locale.ROOT);
        switch (word) {
            case "string": return SchemaBuilder.string();
            case "boolean": return SchemaBuilder.bool();
            case "int8": return SchemaBuilder.int8();
            case "int16": return SchemaBuilder.int16();
            case "int32": return SchemaBuilder.int32();
            case "int64": return SchemaBuilder.int64();
            case "float32": return SchemaBuilder.float32();
            case "float64": return SchemaBuilder.float64();
            case "bytes": return SchemaBuilder.bytes();
            case "timestamp": return Timestamp.builder();
            case "date": return Date.builder();
            case "decimal": return decimal();
            case "array": {
                expect('<');
                Schema element = typeWithOptional();
                expect('>');
                return SchemaBuilder.array(element);
            }
            case "map": {
                expect('<');
                Schema value = typeWithOptional();
                expect('>');
                return SchemaBuilder.map(Schema.STRING_SCHEMA, value);
            }
            case "struct": {
                expect('<');
                SchemaBuilder nested = SchemaBuilder.struct();
                fields(nested);
                expect('>');
                return nested;
            }
            default:
                pos = at;
                throw error("unknown type '" + word + "' (string, boolean, int8, int16, int32, int64, float32, "
                    + "float64, bytes, timestamp, date, decimal(p,s), array<T>, map<T>, struct<...>)");
        }
    }

    private SchemaBuilder decimal() {
        expect('(');
        int precision = number("the precision");
        expect(',');
        int scale = number("the scale");
        expect(')');
        if (precision < 1 || precision > 38) {
            throw error("decimal precision must be 1..38, got " + precision);
        }
        if (scale > precision) {
            throw error("decimal scale " + scale + " is larger than its precision " + precision);
        }
        return Decimal.builder(scale).parameter(DECIMAL_PRECISION_PARAM, Integer.toString(precision));
    }

    private String identifier(String what) {
        skipSpaces();
        int start = pos;
        if (pos < text.length() && (Character.isLetter(text.charAt(pos)) && text.charAt(pos) < 128
            || text.charAt(pos) == '_')) {
            pos++;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) && text.charAt(pos) < 128
                || text.charAt(pos) == '_')) {
                pos++;
            }
        }
        if (start == pos) {
            throw error("expected " + what + (pos < text.length() ? ", got '" + text.charAt(pos) + "'" : ""));
        }
        return text.substring(start, pos);
    }

    private int number(String what) {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && pos - start < 4) {
            pos++;
        }
        if (start == pos) {
            throw error("expected " + what + " (a whole number)");
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private void expect(char c) {
        skipSpaces();
        if (!accept(c)) {
            throw error("expected '" + c + "'" + (pos < text.length() ? ", got '" + text.charAt(pos) + "'"
                : ", got the end"));
        }
    }

    private boolean accept(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("at character " + (pos + 1) + ": " + problem);
    }
}
