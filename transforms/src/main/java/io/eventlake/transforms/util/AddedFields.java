package io.eventlake.transforms.util;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Top-level fields a transform appends to a record value: for a Struct, the input schema plus the added fields,
 * derived once per input schema and cached (bounded); for a schemaless Map, a copy with the added entries. A value
 * that already has a field of an added name is refused with a {@link DataException}, so a transform never silently
 * overwrites a field it did not make.
 */
public final class AddedFields {

    private static final int MAX_SCHEMAS = 64;

    private final List<String> names;
    private final List<Schema> schemas;
    private final String owner;
    /** An input schema's output schema and the filler that copies into Structs of it. */
    private record Derived(Schema output, StructFiller filler) {
    }

    private final Map<Schema, Derived> derived = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Schema, Derived> eldest) {
            return size() > MAX_SCHEMAS;
        }
    };
    private Schema lastInput;
    private Derived last;

    /**
     * @param fields the added fields' names and schemas, in order (optional schemas unless a value is always set)
     * @param owner  the transform's name, for error messages
     */
    public AddedFields(Map<String, Schema> fields, String owner) {
        this.names = List.copyOf(fields.keySet());
        this.schemas = List.copyOf(fields.values());
        this.owner = owner;
    }

    public List<String> names() {
        return names;
    }

    /** The output schema for an input Struct schema, derived once and cached. */
    public Schema schemaFor(Schema input) {
        return derivedFor(input).output();
    }

    private synchronized Derived derivedFor(Schema input) {
        if (input == lastInput) {
            return last;
        }
        Derived d = derived.get(input);
        if (d == null) {
            Schema output = derive(input);
            d = new Derived(output, new StructFiller(output));
            derived.put(input, d);
        }
        lastInput = input;
        last = d;
        return d;
    }

    private Schema derive(Schema input) {
        if (input.type() != Schema.Type.STRUCT) {
            throw new DataException(owner + " needs a Struct value schema, got " + input.type());
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(input.name()).version(input.version()).doc(input.doc());
        if (input.parameters() != null) {
            builder.parameters(input.parameters());
        }
        if (input.isOptional()) {
            builder.optional();
        }
        for (Field f : input.fields()) {
            if (names.contains(f.name())) {
                throw new DataException(owner + " adds field '" + f.name() + "', but the value already has one; "
                    + "configure another output field name");
            }
            builder.field(f.name(), f.schema());
        }
        for (int i = 0; i < names.size(); i++) {
            builder.field(names.get(i), schemas.get(i));
        }
        return builder.build();
    }

    /**
     * A copy of {@code input} under {@code outputSchema} (from {@link #schemaFor} of the input's schema) with the added
     * values, in the order of {@link #names()}. Fields are put by position (the output schema is the input's fields,
     * then the added ones), not looked up by name, optional fields that are null are left null without a put, and
     * each put skips Connect's error-message string ({@link StructFiller}).
     */
    public Struct extend(Struct input, Schema outputSchema, Object... added) {
        Struct out = new Struct(outputSchema);
        Derived d = derivedFor(input.schema());
        StructFiller filler = d.output() == outputSchema ? d.filler() : new StructFiller(outputSchema);
        List<Field> from = input.schema().fields();
        int n = from.size();
        for (int i = 0; i < n; i++) {
            Field f = from.get(i);
            Object v = input.get(f);
            // A new Struct holds null already: an optional null needs no (validated) put.
            if (v != null || !f.schema().isOptional()) {
                filler.put(out, i, v);
            }
        }
        for (int i = 0; i < added.length; i++) {
            filler.put(out, n + i, added[i]);
        }
        return out;
    }


    /** A copy of a schemaless value with the added entries. */
    public Map<String, Object> extend(Map<?, ?> input, Object... added) {
        Map<String, Object> out = new HashMap<>(input.size() * 2 + names.size() * 2);
        for (Map.Entry<?, ?> e : input.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (int i = 0; i < names.size(); i++) {
            if (out.containsKey(names.get(i))) {
                throw new DataException(owner + " adds field '" + names.get(i) + "', but the value already has one; "
                    + "configure another output field name");
            }
            out.put(names.get(i), added[i]);
        }
        return out;
    }

    /** For error messages: the added field names. */
    @Override
    public String toString() {
        return new ArrayList<>(names).toString();
    }
}
