package io.eventlake.transforms.enrich;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of the enrichment transforms' keys; each names the key and describes itself for the reference. */
final class EnrichValidators {

    private EnrichValidators() {
    }

    private static ConfigDef.Validator of(String description, java.util.function.BiConsumer<String, Object> check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.accept(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    /** A non-empty list of distinct names. */
    static ConfigDef.Validator names() {
        return of("a non-empty list of distinct names", (name, value) -> {
            List<?> list = (List<?>) value;
            if (list == null) {
                return;
            }
            if (list.isEmpty()) {
                throw new ConfigException(name, value, "give at least one field");
            }
            Set<Object> seen = new HashSet<>();
            for (Object n : list) {
                if (!seen.add(n)) {
                    throw new ConfigException(name, value, "'" + n + "' is listed twice");
                }
            }
        });
    }

    /** A list of {@code <name>:<spec>} entries whose spec {@code parse} accepts. */
    static ConfigDef.Validator pairs(String description, Function<String, Object> parse) {
        return of(description, (name, value) -> {
            for (Map.Entry<String, String> e : pairsOf(name, value).entrySet()) {
                try {
                    var unused = parse.apply(e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(name, value, "entry '" + e.getKey() + ":" + e.getValue() + "': "
                        + ex.getMessage());
                }
            }
        });
    }

    static Map<String, String> pairsOf(List<String> entries) {
        return pairsOf("", entries);
    }

    private static Map<String, String> pairsOf(String key, Object value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (value == null) {
            return pairs;
        }
        for (Object o : (List<?>) value) {
            String entry = o.toString().trim();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(key, value, "entry '" + entry + "': expected <field>:<value>");
            }
            String field = entry.substring(0, colon).trim();
            if (pairs.put(field, entry.substring(colon + 1).trim()) != null) {
                throw new ConfigException(key, value, "'" + field + "' is listed twice");
            }
        }
        return pairs;
    }

    /** A class name (loaded when the transform is configured). */
    static ConfigDef.Validator className() {
        return of("a class name", (name, value) -> {
            String v = value == null ? "" : value.toString().trim();
            if (!v.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw new ConfigException(name, value, "not a class name");
            }
        });
    }
}
