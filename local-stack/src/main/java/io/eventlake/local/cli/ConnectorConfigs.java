package io.eventlake.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The connector JSON files of a config folder, by connector name (the file name without .json). */
final class ConnectorConfigs {

    static final String GENERATOR_CLASS = "io.eventlake.connect.source.generator.EventGeneratorSourceConnector";
    static final String HTTP_CLASS = "io.eventlake.connect.source.http.HttpIngestSourceConnector";
    static final String VALIDATE_CLASS = "io.eventlake.transforms.validate.Validate";
    static final String SINK_CLASS = "io.eventlake.connect.sink.s3.S3ParquetSinkConnector";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorConfigs() {
    }

    static Map<String, Map<String, String>> load(Path dir) throws IOException {
        Map<String, Map<String, String>> configs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                Map<String, Object> raw = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
                Map<String, String> config = new LinkedHashMap<>();
                raw.forEach((k, v) -> config.put(k, String.valueOf(v)));
                if (!config.containsKey("connector.class")) {
                    throw new IOException(file + " has no connector.class");
                }
                configs.put(name, config);
            }
        }
        if (configs.isEmpty()) {
            throw new IOException("no connector .json files in " + dir);
        }
        return configs;
    }

    /** Names of the connectors of a class, in file order. */
    static List<String> namesOf(Map<String, Map<String, String>> configs, String connectorClass) {
        List<String> names = new ArrayList<>();
        configs.forEach((name, config) -> {
            if (connectorClass.equals(config.get("connector.class"))) {
                names.add(name);
            }
        });
        return names;
    }

    static String nameOf(Map<String, Map<String, String>> configs, String connectorClass) {
        List<String> names = namesOf(configs, connectorClass);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no connector of class " + connectorClass + " in the config folder");
        }
        return names.get(0);
    }

    /** A generator's topic: its {@code topic}, or its scenario's name (the generator's default). */
    static String generatorTopic(Map<String, String> config) {
        String topic = config.getOrDefault("topic", "");
        return topic.isBlank() ? config.getOrDefault("scenario", "cart") : topic.trim();
    }

    /** An HTTP ingest connector's paths with their topics: http.path to topic, then http.routes. */
    static Map<String, String> httpTopics(Map<String, String> config) {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put(config.getOrDefault("http.path", "/events").trim(),
            config.getOrDefault("topic", "http-events").trim());
        for (String route : config.getOrDefault("http.routes", "").split(",")) {
            int eq = route.indexOf('=');
            if (eq > 0) {
                routes.putIfAbsent(route.substring(0, eq).trim(), route.substring(eq + 1).trim());
            }
        }
        return routes;
    }

    /**
     * The topics a connector's {@code Validate} transforms route invalid records of the given topics to (with
     * {@code on.invalid=route}; {@code quarantine.topic}, default {@code ${topic}-quarantine}).
     */
    static Set<String> quarantineTopics(Map<String, String> config, Collection<String> topics) {
        Set<String> quarantine = new TreeSet<>();
        for (String alias : config.getOrDefault("transforms", "").split(",")) {
            String prefix = "transforms." + alias.trim() + ".";
            String type = config.getOrDefault(prefix + "type", "");
            if (alias.isBlank() || !type.startsWith(VALIDATE_CLASS)
                || !"route".equalsIgnoreCase(config.getOrDefault(prefix + "on.invalid", "fail").trim())) {
                continue;
            }
            String template = config.getOrDefault(prefix + "quarantine.topic", "${topic}-quarantine").trim();
            topics.forEach(t -> quarantine.add(template.replace("${topic}", t)));
        }
        return quarantine;
    }

    /** A generator's fraud reports topic, or null when it writes none. */
    static String reportsTopic(Map<String, String> config) {
        if (!"transactions".equals(config.getOrDefault("scenario", "cart"))) {
            return null;
        }
        String topic = config.getOrDefault("fraud.reports.topic", "fraud-reports");
        return topic.isBlank() ? null : topic.trim();
    }

    /**
     * Applies {@code --set connector.key=value[,connector.key=value...]} to the loaded connectors: the connector is
     * named by its file name without {@code .json}, the key is any setting of it (e.g.
     * {@code eventlake-transactions.tasks.max=3}).
     */
    static void override(Map<String, Map<String, String>> configs, String settings) {
        for (String setting : settings.split(",")) {
            if (setting.isBlank()) {
                continue;
            }
            int eq = setting.indexOf('=');
            int dot = setting.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) {
                throw new IllegalArgumentException("--set takes connector.key=value, got '" + setting + "'");
            }
            String connector = setting.substring(0, dot).trim();
            Map<String, String> config = configs.get(connector);
            if (config == null) {
                throw new IllegalArgumentException("--set names connector '" + connector + "', which is not in the "
                    + "config folder (there: " + String.join(", ", new java.util.TreeSet<>(configs.keySet())) + ")");
            }
            config.put(setting.substring(dot + 1, eq).trim(), setting.substring(eq + 1).trim());
        }
    }
}
