package io.eventlake.local.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name value} options of a launcher command; unknown options are an error that names them. {@code --set} may
 * be given several times (its settings add up); any other option given twice is an error, not a silent override.
 */
final class Args {

    /** The option whose repeats add up, each a comma-separated list. */
    static final String REPEATABLE = "set";

    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv, int from, Set<String> known) {
        for (int i = from; i < argv.length; i++) {
            String name = argv[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "'; known: --"
                    + String.join(", --", new TreeSet<>(known)));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String key = name.substring(2);
            String value = argv[++i];
            String before = values.get(key);
            if (before != null && !key.equals(REPEATABLE)) {
                throw new IllegalArgumentException("option " + name + " is given twice ('" + before + "' and '" + value
                    + "')");
            }
            values.put(key, before == null ? value : before + "," + value);
        }
    }

    long getLong(String name, long defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, got '" + v + "'");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Path getPath(String name, String defaultValue) {
        return Path.of(values.getOrDefault(name, defaultValue));
    }

    String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }
}
