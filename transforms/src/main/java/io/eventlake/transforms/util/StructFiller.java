package io.eventlake.transforms.util;

import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Puts values into new Structs of one schema by position, validated as {@code Struct.put} always does, without the
 * per-put string Connect builds for an error message it rarely needs. {@code Struct.put(Field, value)} validates the
 * value against the field's schema and stores it at the field's index; before validating it concatenates
 * {@code "field: \"" + name + "\""}, which measured about a fifth of the whole transactions chain (two Struct copies
 * of about 20 fields each per record). Putting through a copy of each field without its name skips only that string:
 * the value is still validated against the same schema and lands at the same index; a value that fails is reported
 * here with the field's name.
 *
 * <p>That relies on how {@code Struct.put} behaves, not on its contract, so it is checked once against the Connect
 * API the worker runs ({@link #UNNAMED_PUTS}); where the check fails the real fields are used.
 */
final class StructFiller {

    /** True when putting through an unnamed copy of a field stores and validates as the named field does. */
    static final boolean UNNAMED_PUTS = unnamedPutsWork(Struct::put);

    /** How a value is put into a Struct: {@code Struct::put}, or a stand-in in tests. */
    interface Putter {
        void put(Struct struct, Field field, Object value);
    }

    private final Field[] named;
    private final Field[] puts;

    StructFiller(Schema schema) {
        this(schema, UNNAMED_PUTS);
    }

    /** A filler that puts through unnamed copies of the fields, or (the fallback) through the fields themselves. */
    StructFiller(Schema schema, boolean unnamedPuts) {
        List<Field> fields = schema.fields();
        named = fields.toArray(Field[]::new);
        puts = new Field[named.length];
        for (int i = 0; i < named.length; i++) {
            puts[i] = unnamedPuts ? new Field(null, named[i].index(), named[i].schema()) : named[i];
        }
    }

    /** Puts {@code value} into field {@code i} of {@code struct} (a Struct of this filler's schema). */
    void put(Struct struct, int i, Object value) {
        try {
            struct.put(puts[i], value);
        } catch (DataException e) {
            throw new DataException("Invalid value for field \"" + named[i].name() + "\": " + e.getMessage(), e);
        }
    }

    /** Whether {@code putter} stores an unnamed field's value at its index and validates it against its schema. */
    static boolean unnamedPutsWork(Putter putter) {
        try {
            Schema schema = SchemaBuilder.struct().field("a", Schema.OPTIONAL_STRING_SCHEMA)
                .field("b", Schema.INT32_SCHEMA).build();
            Struct struct = new Struct(schema);
            putter.put(struct, new Field(null, 1, Schema.INT32_SCHEMA), 7);
            if (!Integer.valueOf(7).equals(struct.get("b")) || struct.get("a") != null) {
                return false;
            }
            try {
                putter.put(struct, new Field(null, 1, Schema.INT32_SCHEMA), "not a number");
                return false;
            } catch (DataException expected) {
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }
}
