package io.eventlake.transforms.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Reads a reference file into raw rows by key: the values of the lookup fields, in their order, as the file has
 * them (text for CSV; strings, whole numbers as longs, fractions as doubles and booleans for JSON). A file that
 * cannot be read whole is refused with the reason; nothing is half-loaded.
 */
enum FileFormat {
    /** A header row naming the columns, then one row per entry. */
    CSV,
    /**
     * An array of objects, each with the key property ({@code [{"user_id": "u1", "tier": "gold"}]}), or one object
     * whose property names are the keys ({@code {"u1": {"tier": "gold"}}}); read as Kafka's JsonConverter reads
     * schemaless JSON.
     */
    JSON;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param keyColumn  the column (CSV) or property (JSON array) holding the key
     * @param maxEntries more distinct keys than this refuse the file
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when its content is not as described, with the reason
     */
    Map<String, Object[]> read(Path file, String keyColumn, List<String> fields, int maxEntries) throws IOException {
        return this == CSV ? readCsv(file, keyColumn, fields, maxEntries) : readJson(file, keyColumn, fields,
            maxEntries);
    }

    private static Map<String, Object[]> readCsv(Path file, String keyColumn, List<String> fields, int maxEntries)
        throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvReader csv = new CsvReader(in);
            List<String> header = csv.next();
            if (header == null) {
                throw new IllegalArgumentException("the file is empty (a header row is needed)");
            }
            int key = header.indexOf(keyColumn);
            if (key < 0) {
                throw new IllegalArgumentException("no column '" + keyColumn + "' (the key) in the header " + header);
            }
            int[] columns = new int[fields.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = header.indexOf(fields.get(i));
                if (columns[i] < 0) {
                    throw new IllegalArgumentException("no column '" + fields.get(i) + "' in the header " + header);
                }
            }
            Map<String, Object[]> rows = new HashMap<>();
            List<String> row;
            long line = csv.line();
            while ((row = csv.next()) != null) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("line " + line + " has " + row.size() + " fields, the header "
                        + header.size());
                }
                String k = row.get(key);
                if (k == null || k.isEmpty()) {
                    throw new IllegalArgumentException("line " + line + " has no key");
                }
                Object[] values = new Object[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    values[i] = row.get(columns[i]);
                }
                put(rows, k, values, maxEntries);
                line = csv.line();
            }
            return rows;
        }
    }

    private static Map<String, Object[]> readJson(Path file, String keyColumn, List<String> fields, int maxEntries)
        throws IOException {
        Object root;
        try (JsonConverter json = new JsonConverter()) {
            json.configure(Map.of("schemas.enable", "false"), false);
            root = json.toConnectData("", Files.readAllBytes(file)).value();
        } catch (org.apache.kafka.connect.errors.DataException e) {
            throw new IllegalArgumentException("not JSON: " + rootCause(e).getMessage());
        }
        Map<String, Object[]> rows = new HashMap<>();
        if (root instanceof List<?> array) {
            int index = 0;
            for (Object element : array) {
                if (!(element instanceof Map<?, ?> object)) {
                    throw new IllegalArgumentException("element " + index + " of the array is not an object");
                }
                Object k = object.get(keyColumn);
                if (k == null) {
                    throw new IllegalArgumentException("element " + index + " has no '" + keyColumn + "' (the key)");
                }
                put(rows, KeyText.of(k), pick(object, fields), maxEntries);
                index++;
            }
        } else if (root instanceof Map<?, ?> byKey) {
            for (Map.Entry<?, ?> e : byKey.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> object)) {
                    throw new IllegalArgumentException("the value of '" + e.getKey() + "' is not an object");
                }
                put(rows, String.valueOf(e.getKey()), pick(object, fields), maxEntries);
            }
        } else {
            throw new IllegalArgumentException("expected an array of objects or an object of objects");
        }
        return rows;
    }

    private static Object[] pick(Map<?, ?> object, List<String> fields) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = object.get(fields.get(i));
            values[i] = v instanceof Map || v instanceof List || v instanceof Struct ? String.valueOf(v) : v;
        }
        return values;
    }

    private static void put(Map<String, Object[]> rows, String key, Object[] values, int maxEntries) {
        if (rows.put(key, values) == null && rows.size() > maxEntries) {
            throw new IllegalArgumentException("more than lookup.max.entries=" + maxEntries + " entries");
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
