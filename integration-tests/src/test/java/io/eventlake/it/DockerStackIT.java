package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;

import io.eventlake.local.stack.ConnectRest;

/**
 * docker-compose.yml brought up for real with Testcontainers, where a Docker engine runs: the stack's own images
 * (Kafka in KRaft mode, Confluent's Connect with its Avro converter and schema registry, MinIO), the plugin zip
 * installed by the stack's job, and config/*.json PUT by it. A bounded generator then runs through Confluent's Avro
 * converter into MinIO, and every event is checked against the lake.
 * <p>
 * Skipped (a JUnit assumption, in well under a second) where there is no Docker engine, as on the build machines
 * and in CI. Nothing is checked only here: the compose file's consistency is DockerComposeFileIT's, config
 * providers are ConfigProvidersIT's, the Avro path is AvroPipelineIT's, all on the embedded stack.
 */
class DockerStackIT {

    private static final String NO_DOCKER = "No Docker engine on this machine: DockerStackIT (docker-compose.yml "
        + "with Testcontainers) is skipped. DockerComposeFileIT checks the compose file, and the embedded-stack ITs "
        + "cover the behaviour.";

    @TempDir
    static Path work;
    static boolean docker;
    static ComposeContainer compose;

    @BeforeAll
    static void startCompose() {
        docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            return;
        }
        File repo = Path.of(System.getProperty("eventlake.repo.dir")).toFile();
        compose = new ComposeContainer(new File(repo, "docker-compose.yml"))
            .withExposedService("connect", 8083, Wait.forHttp("/connectors").forStatusCode(200)
                .withStartupTimeout(Duration.ofMinutes(5)))
            .withRemoveVolumes(true);
        compose.start();
    }

    /** An assumption per test, so that the report lists each test as skipped, with the reason. */
    @BeforeEach
    void requireDocker() {
        assumeTrue(docker, NO_DOCKER);
    }

    @AfterAll
    static void stopCompose() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void theStackRunsTheConfigFolderAndABoundedGeneratorLandsInMinioAsAvro() throws Exception {
        ConnectRest rest = new ConnectRest("http://" + compose.getServiceHost("connect", 8083) + ":"
            + compose.getServicePort("connect", 8083));
        for (String name : ConfigFolder.connectors().keySet()) {
            PluginZipPipelineIT.await(300, name + " put by start-connectors and running",
                () -> rest.status(name) != null && rest.isRunning(name, 1));
        }

        String topic = "docker-clickstream";
        int events = 2000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:29092"))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        Map<String, String> generator = new HashMap<>(ConfigFolder.connector("eventlake-clickstream"));
        generator.put("topic", topic);
        generator.put("max.events", Integer.toString(events));
        generator.put("events.per.second", "0");
        rest.putConfig("docker-generator", generator);
        Map<String, String> sink = new HashMap<>(ConfigFolder.connector("eventlake-s3-sink"));
        sink.put("topics", topic);
        sink.put("rotate.wallclock.interval.ms", "1000");
        rest.putConfig("docker-sink", sink);

        Path bucket = work.resolve("eventlake");
        PluginZipPipelineIT.await(300, "the events in MinIO", () -> {
            copyLake(topic, bucket);
            return Files.exists(bucket.resolve("topics").resolve(topic)) && Lake.query(bucket, topic,
                "SELECT count(*) AS n FROM lake").get(0).get("n").equals((long) events);
        });

        Map<String, GenericRecord> sent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll("localhost:29092", topic)) {
            GenericRecord value = decodeConfluent(r.value());
            assertEquals(null, sent.put(value.get("event_id").toString(), value), "id repeated");
        }
        assertEquals(events, sent.size());
        List<Map<String, Object>> rows = Lake.query(bucket, topic, "SELECT event_id, user_id, page_url, "
            + "epoch_ms(event_time) AS event_time FROM lake");
        for (Map<String, Object> row : rows) {
            GenericRecord expected = sent.remove((String) row.get("event_id"));
            assertNotNull(expected, "row not in the topic, or landed twice: " + row);
            assertEquals(expected.get("user_id").toString(), row.get("user_id"));
            assertEquals(expected.get("page_url").toString(), row.get("page_url"));
            assertEquals(expected.get("event_time"), row.get("event_time"));
        }
        assertTrue(sent.isEmpty(), sent.size() + " events missing from MinIO");
    }

    /** Copies the topic's objects out of the MinIO container with the mc client its image ships. */
    private static void copyLake(String topic, Path bucket) throws Exception {
        ContainerState minio = compose.getContainerByServiceName("minio").orElseThrow();
        minio.execInContainer("sh", "-c", "mc alias set here http://localhost:9000 minioadmin minioadmin >/dev/null"
            + " && rm -rf /tmp/lake && mc mirror --quiet here/eventlake/topics/" + topic + " /tmp/lake/" + topic);
        String listing = minio.execInContainer("sh", "-c", "cd /tmp/lake && find . -name '*.parquet'").getStdout();
        for (String file : listing.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
            Path target = bucket.resolve("topics").resolve(file.substring(2));
            Files.createDirectories(target.getParent());
            minio.copyFileFromContainer("/tmp/lake/" + file.substring(2), target.toString());
        }
    }

    /** Confluent's wire format: magic byte 0, the 4-byte schema id, the Avro binary; the schema from the registry. */
    private static GenericRecord decodeConfluent(byte[] value) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertEquals(0, buffer.get(), "magic byte");
        int id = buffer.getInt();
        String registry = "http://" + compose.getServiceHost("schema-registry", 8081) + ":8081";
        String body = new ConnectRest(registry).get("/schemas/ids/" + id);
        Schema schema = new Schema.Parser().parse(Json.parse(body).path("schema").asText());
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
            .binaryDecoder(value, buffer.position(), buffer.remaining(), null));
    }
}
