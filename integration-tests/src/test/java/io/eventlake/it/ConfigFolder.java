package io.eventlake.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The connector JSON files of the repository's config/ folder, by connector name (file name without .json). */
final class ConfigFolder {

    /** {@code ${provider:[path:]key}}, as Kafka's ConfigTransformer reads it. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)\\}");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFolder() {
    }

    static Path dir() {
        return Path.of(System.getProperty("eventlake.config.dir"));
    }

    static Map<String, Map<String, String>> connectors() throws IOException {
        Map<String, Map<String, String>> configs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json")).sorted()::iterator) {
                configs.put(f.getFileName().toString().replaceFirst("\\.json$", ""), read(f));
            }
        }
        return configs;
    }

    static Map<String, String> connector(String name) throws IOException {
        return read(dir().resolve(name + ".json"));
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, Object> raw = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        Map<String, String> config = new LinkedHashMap<>();
        raw.forEach((k, v) -> config.put(k, String.valueOf(v)));
        return config;
    }

    /** Every {@code ${env:NAME}} in the folder's connector configs: variable name to the files naming it. */
    static Map<String, String> envVariables() throws IOException {
        Map<String, String> names = new TreeMap<>();
        connectors().forEach((connector, config) -> config.values().forEach(v -> {
            Matcher m = PLACEHOLDER.matcher(v);
            while (m.find()) {
                if ("env".equals(m.group(1))) {
                    names.merge(m.group(4), connector, (a, b) -> a + ", " + b);
                }
            }
        }));
        return names;
    }
}
