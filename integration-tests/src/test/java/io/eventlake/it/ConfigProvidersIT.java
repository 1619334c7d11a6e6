package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.local.stack.EmbeddedS3;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;
import io.eventlake.local.stack.WorkerEnvironment;

/**
 * Secrets and per-stack endpoints through Connect config providers, on the embedded stack: the connector JSON of
 * config/ runs as shipped (its {@code ${env:NAME}} placeholders resolve to this stack's S3 server and keys), while
 * the REST API and the config topic keep the placeholder and never the secret.
 */
class ConfigProvidersIT {

    private static final String SINK_FILE = "eventlake-s3-sink";
    private static final String GENERATOR_FILE = "eventlake-clickstream";
    private static final String SECRET = EmbeddedS3.SECRET_KEY;

    @TempDir
    static Path work;
    static Path secrets;
    static EmbeddedStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        // FileConfigProvider as doc/secrets.md sets it up: allowed.paths must name an existing folder.
        secrets = Files.createDirectories(work.resolve("secrets"));
        stack = ItStack.builder(work)
            .workerEnv(WorkerEnvironment.REFERENCE_DIR, ConfigFolder.dir().resolve("reference").toString())
            .workerProperty("config.providers", "env,file")
            .workerProperty("config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider")
            .workerProperty("config.providers.file.param.allowed.paths", secrets.toString())
            .build()
            .start();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theShippedSinkConfigLandsEventsWhileTheRestApiAndConfigTopicKeepOnlyPlaceholders() throws Exception {
        Map<String, String> sink = ConfigFolder.connector(SINK_FILE);
        assertEquals(WorkerEnvironment.placeholder(WorkerEnvironment.S3_SECRET_ACCESS_KEY),
            sink.get("aws.secret.access.key"), "config/" + SINK_FILE + ".json names the secret by placeholder");
        for (String topic : sink.get("topics").split(",")) {
            stack.createTopic(topic.trim(), 2);
        }
        stack.createTopic(sink.get("errors.deadletterqueue.topic.name"), 1);
        Map<String, String> generator = new HashMap<>(ConfigFolder.connector(GENERATOR_FILE));
        int events = 3000;
        generator.put("max.events", Integer.toString(events));
        generator.put("events.per.second", "0");
        // Every event to the one topic this test reads back (the quarantine is LauncherCrashRecoveryIT's).
        generator.put("invalid.events.share", "0");
        String topic = generator.get("topic");
        stack.connect().putConfig(GENERATOR_FILE, generator);
        stack.connect().putConfig(SINK_FILE, sink);

        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        PluginZipPipelineIT.await(180, "the generated events in the lake", () -> {
            for (String c : List.of(GENERATOR_FILE, SINK_FILE)) {
                String failure = stack.connect().failure(c);
                if (failure != null) {
                    throw new AssertionError(failure);
                }
            }
            LakeStats.Snapshot s = lake.snapshot();
            return s.rows() >= events && s.pendingFiles() == 0;
        });
        JsonConverter converter = Topics.valueConverter();
        List<Struct> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            sent.add((Struct) converter.toConnectData(topic, r.value()).value());
        }
        assertEquals(events, sent.size());
        LakeRecords.assertLandedOnce(stack.bucketDir(), topic, "event_id", sent);

        JsonNode config = Json.parse(stack.connect().get("/connectors/" + SINK_FILE + "/config"));
        assertEquals(sink.get("aws.secret.access.key"), config.path("aws.secret.access.key").asText());
        assertEquals(sink.get("s3.endpoint.url"), config.path("s3.endpoint.url").asText());
        for (String path : List.of("/connectors/" + SINK_FILE + "/config", "/connectors/" + SINK_FILE,
            "/connectors/" + SINK_FILE + "/tasks", "/connectors?expand=info&expand=status")) {
            String body = stack.connect().get(path);
            assertFalse(body.contains(SECRET), "GET " + path + " shows the secret: " + body);
            assertTrue(body.contains(sink.get("aws.secret.access.key")), "GET " + path + " lacks the placeholder");
        }
        // The task configs the connector generated from the resolved config are stored with the placeholder too.
        StringBuilder stored = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(),
            stack.workerConfig().get("config.storage.topic"))) {
            if (r.value() != null) {
                stored.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertTrue(stored.indexOf(sink.get("aws.secret.access.key")) >= 0, "placeholder not in the config topic");
        assertFalse(stored.indexOf(SECRET) >= 0, "the config topic holds the secret");
    }

    @Test
    void everyConnectorConfigOfTheFolderValidatesAsShipped() throws Exception {
        Map<String, Map<String, String>> configs = ConfigFolder.connectors();
        assertFalse(configs.isEmpty());
        // An unresolved placeholder stays the literal value: a token key would accept it silently.
        ConfigFolder.envVariables().forEach((name, files) -> assertTrue(stack.workerEnvironment().containsKey(name),
            name + " (in " + files + ") is not defined by the embedded stack"));
        for (Map.Entry<String, Map<String, String>> e : configs.entrySet()) {
            // PUT /connectors/<file name>/config names the connector; validation needs the name in the body.
            Map<String, String> config = new HashMap<>(e.getValue());
            config.put("name", e.getKey());
            JsonNode result = stack.connect().validate(config.get("connector.class"), config);
            assertEquals(0, result.path("error_count").asInt(), e.getKey() + ": " + errors(result));
        }
        // The sink's validation reached this stack's S3 server with the keys: the placeholders resolved here.
        Map<String, String> sinkConfig = new HashMap<>(configs.get(SINK_FILE));
        sinkConfig.put("name", SINK_FILE);
        JsonNode sink = stack.connect().validate(sinkConfig.get("connector.class"), sinkConfig);
        assertEquals(stack.s3Endpoint(), value(sink, "s3.endpoint.url"));
    }

    @Test
    void onlyVariablesOnTheAllowListResolve() throws Exception {
        String outside = "PATH";
        assumeTrue(System.getenv(outside) != null, "the JVM has no PATH variable to try");
        Map<String, String> sink = sinkSettings("allow-list");
        sink.put("topics.dir", "${env:" + outside + "}");
        assertEquals("${env:" + outside + "}", value(validate(sink), "topics.dir"));
        sink.put("topics.dir", WorkerEnvironment.placeholder(WorkerEnvironment.S3_ENDPOINT));
        assertEquals(stack.s3Endpoint(), value(validate(sink), "topics.dir"));
    }

    @Test
    void aSecretInAFileResolvesThroughKafkasFileConfigProviderWithinItsAllowedPaths() throws Exception {
        Path file = secrets.resolve("s3.properties");
        Files.writeString(file, "aws.secret.access.key=" + SECRET + "\nwrong.key=not-" + SECRET + "\n");
        Map<String, String> sink = sinkSettings("file-secret");
        sink.put("aws.secret.access.key", "${file:" + file + ":aws.secret.access.key}");
        assertEquals(0, validate(sink).path("error_count").asInt(), errors(validate(sink)));

        sink.put("aws.secret.access.key", "${file:" + file + ":wrong.key}");
        String wrong = errors(validate(sink));
        assertTrue(wrong.contains("HTTP 403"), "the file's wrong secret is used, and S3 refuses it: " + wrong);

        Path outside = Files.writeString(work.resolve("outside.properties"), "aws.secret.access.key=" + SECRET);
        sink.put("aws.secret.access.key", "${file:" + outside + ":aws.secret.access.key}");
        assertTrue(validate(sink).path("error_count").asInt() > 0, "a file outside allowed.paths must not resolve");
    }

    private static Map<String, String> sinkSettings(String topic) {
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.put("connector.class", PluginZipPipelineIT.SINK);
        sink.put("name", "validate-" + topic);
        sink.put("topics", topic);
        return sink;
    }

    private static JsonNode validate(Map<String, String> config) throws Exception {
        return stack.connect().validate(config.get("connector.class"), config);
    }

    private static String value(JsonNode validation, String key) {
        for (JsonNode c : validation.path("configs")) {
            if (key.equals(c.path("value").path("name").asText())) {
                return c.path("value").path("value").asText();
            }
        }
        throw new AssertionError(key + " not in " + validation);
    }

    private static String errors(JsonNode validation) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : validation.path("configs")) {
            JsonNode errs = c.path("value").path("errors");
            if (errs.size() > 0) {
                out.append(c.path("value").path("name").asText()).append(": ").append(errs).append("; ");
            }
        }
        return out.toString();
    }
}
