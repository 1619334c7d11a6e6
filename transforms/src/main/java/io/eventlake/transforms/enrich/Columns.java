package io.eventlake.transforms.enrich;

import java.util.AbstractList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.connect.data.Schema;

import io.eventlake.transforms.util.AddedFields;

/**
 * The reference fields a lookup adds, in the order of {@code lookup.fields}: their names in the data, their types
 * (declared, or inferred once from the first load and then fixed, so the output schema never changes under a
 * running task), the output names and the values used when the key is unknown.
 */
final class Columns {

    private static final int MAX_POOLED = 65_536;

    private final List<String> names;
    private final FieldType[] declared;
    private final boolean inferFromText;
    private final String outputPrefix;
    private final String statusField;
    private final Map<String, String> defaults;

    /**
     * One copy of each distinct text value: reference data repeats a few values (tiers, countries, segments)
     * over many keys, and a String costs 40-60 bytes. Bounded, so a column of unique values does not double.
     */
    private final Map<String, String> pool = new ConcurrentHashMap<>();

    private volatile FieldType[] types;
    private Object[] defaultValues;
    private AddedFields added;

    /**
     * @param declared      declared types by name; the others are inferred
     * @param inferFromText true for CSV, whose cells are all text
     * @param statusField   name of the status field, or empty for none
     * @param defaults      values (as text) for unknown keys, by name; absent means null
     */
    Columns(List<String> names, Map<String, FieldType> declared, boolean inferFromText, String outputPrefix,
            String statusField, Map<String, String> defaults) {
        this.names = List.copyOf(names);
        this.declared = names.stream().map(declared::get).toArray(FieldType[]::new);
        this.inferFromText = inferFromText;
        this.outputPrefix = outputPrefix;
        this.statusField = statusField;
        this.defaults = Map.copyOf(defaults);
    }

    List<String> names() {
        return names;
    }

    int size() {
        return names.size();
    }

    boolean resolved() {
        return types != null;
    }

    /**
     * Fixes the types: declared ones as they are, the others inferred from the rows loaded so far (the values at
     * each column's index). Later calls keep the first result.
     * @throws IllegalArgumentException when a default does not fit its type, naming the field
     */
    synchronized void resolve(Collection<Object[]> rows) {
        if (types != null) {
            return;
        }
        Object[][] all = rows.toArray(new Object[0][]);
        FieldType[] resolved = new FieldType[names.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = declared[i] != null ? declared[i] : FieldType.infer(column(all, i), inferFromText);
        }
        Object[] defaultsTyped = new Object[names.size()];
        for (int i = 0; i < defaultsTyped.length; i++) {
            String text = defaults.get(names.get(i));
            try {
                defaultsTyped[i] = resolved[i].convert(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("default of " + names.get(i) + ": " + e.getMessage());
            }
        }
        Map<String, Schema> output = new LinkedHashMap<>();
        for (int i = 0; i < resolved.length; i++) {
            output.put(outputPrefix + names.get(i), resolved[i].schema());
        }
        if (!statusField.isEmpty()) {
            output.put(statusField, Schema.STRING_SCHEMA);
        }
        this.defaultValues = defaultsTyped;
        this.added = new AddedFields(output, "Enrich");
        this.types = resolved;
    }

    private static List<Object> column(Object[][] rows, int index) {
        return new AbstractList<>() {
            @Override
            public Object get(int row) {
                return rows[row][index];
            }

            @Override
            public int size() {
                return rows.length;
            }
        };
    }

    /**
     * A raw row converted to the resolved types, in place.
     * @throws IllegalArgumentException naming the field whose value does not fit
     */
    Object[] convert(Object[] raw) {
        FieldType[] t = types;
        for (int i = 0; i < raw.length; i++) {
            try {
                Object v = t[i].convert(raw[i]);
                raw[i] = v instanceof String text ? canonical(text) : v;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(names.get(i) + ": " + e.getMessage());
            }
        }
        return raw;
    }

    private String canonical(String text) {
        String known = pool.get(text);
        if (known != null) {
            return known;
        }
        if (pool.size() < MAX_POOLED) {
            pool.putIfAbsent(text, text);
        }
        return text;
    }

    FieldType type(int i) {
        return types[i];
    }

    Object[] defaults() {
        return defaultValues;
    }

    AddedFields added() {
        return added;
    }

    boolean hasStatus() {
        return !statusField.isEmpty();
    }
}
