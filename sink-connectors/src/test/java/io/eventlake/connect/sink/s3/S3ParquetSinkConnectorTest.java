package io.eventlake.connect.sink.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector against a real S3-compatible server: validation reaches the bucket and names what is wrong, and
 * offsets changed through Connect's offsets API move the lake's checkpoints.
 */
class S3ParquetSinkConnectorTest {

    @TempDir
    static Path dir;
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(dir, "lake");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static Map<String, String> config(String bucket, String endpoint, String secret) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", S3ParquetSinkConnector.class.getName());
        c.put("topics", "events");
        c.put("s3.bucket.name", bucket);
        c.put("s3.endpoint.url", endpoint);
        c.put("s3.path.style.access", "true");
        c.put("aws.access.key.id", S3ProxyServer.ACCESS_KEY);
        c.put("aws.secret.access.key", secret);
        return c;
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        Map<String, List<String>> out = new HashMap<>();
        for (ConfigValue v : new S3ParquetSinkConnector().validate(config).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                out.put(v.name(), v.errorMessages());
            }
        }
        return out;
    }

    @Test
    void aTableModeConfigWithAReachableCatalogValidatesCleanly() {
        Map<String, String> c = config("lake", server.endpoint(), S3ProxyServer.SECRET_KEY);
        c.put("table.format", "iceberg");
        c.put("iceberg.catalog.type", "jdbc");
        c.put("iceberg.catalog.uri", "jdbc:h2:mem:validate-ok");
        c.put("iceberg.catalog.warehouse", "s3://lake/warehouse");
        assertEquals(Map.of(), errors(c));
    }

    @Test
    void anUnreachableCatalogIsReportedOnTheCatalogUri() {
        Map<String, String> c = config("lake", server.endpoint(), S3ProxyServer.SECRET_KEY);
        c.put("table.format", "iceberg");
        c.put("iceberg.catalog.type", "rest");
        c.put("iceberg.catalog.uri", "http://127.0.0.1:" + closedPort());
        Map<String, List<String>> e = errors(c);
        assertEquals(List.of("iceberg.catalog.uri"), List.copyOf(e.keySet()), e.toString());
        assertTrue(e.get("iceberg.catalog.uri").get(0).contains("cannot use the Iceberg catalog"), e.toString());
    }

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aGoodConfigValidatesCleanly() {
        assertEquals(Map.of(), errors(config("lake", server.endpoint(), S3ProxyServer.SECRET_KEY)));
    }

    @Test
    void aMissingBucketIsReportedOnTheBucketKeyAsNoSuchBucket() {
        Map<String, List<String>> e = errors(config("nope", server.endpoint(), S3ProxyServer.SECRET_KEY));
        assertTrue(e.get("s3.bucket.name").get(0).contains("no such bucket 'nope'"), e.toString());
    }

    @Test
    void wrongCredentialsAreReportedOnACredentialsKey() {
        Map<String, List<String>> e = errors(config("lake", server.endpoint(), "wrong"));
        String message = String.valueOf(e.get("aws.secret.access.key")) + e.get("aws.access.key.id");
        assertTrue(message.contains("access"), e.toString());
    }

    @Test
    void anUnreachableEndpointIsReportedOnTheEndpointKey() {
        Map<String, List<String>> e = errors(config("lake", "http://127.0.0.1:1", S3ProxyServer.SECRET_KEY));
        assertTrue(e.get("s3.endpoint.url").get(0).contains("cannot reach S3 at http://127.0.0.1:1"), e.toString());
    }

    @Test
    void theConnectionCheckCanBeSkipped() {
        Map<String, String> c = config("nope", "http://127.0.0.1:1", S3ProxyServer.SECRET_KEY);
        c.put("s3.validate.connection", "false");
        assertEquals(Map.of(), errors(c));
    }

    /**
     * Offsets API (KIP-875). Sequence: a checkpoint says partition 0 is committed up to 500 with a pending file;
     * the user alters the offset to 200 (PATCH /connectors/x/offsets while stopped): the pending file is deleted
     * and the checkpoint says 200 under a new owner epoch; the user resets (DELETE): the checkpoint says nothing is
     * committed (next -1), so the task resumes from the consumer group's (reset) offset, under a still higher epoch.
     */
    @Test
    void alteredAndResetOffsetsMoveTheCheckpoints() throws Exception {
        Path checkpoint = dir.resolve("lake/_eventlake/checkpoints/topics/events/0.json");
        Path pending = dir.resolve("lake/topics/events/x/events+0+00000000000000000500+3.parquet");
        Files.createDirectories(checkpoint.getParent());
        Files.createDirectories(pending.getParent());
        Files.writeString(pending, "partial");
        Files.writeString(checkpoint, "{\"epoch\":3,\"next\":500,\"pending\":[\"topics/events/x/"
            + "events+0+00000000000000000500+3.parquet\"]}");
        S3ParquetSinkConnector connector = new S3ParquetSinkConnector();
        Map<String, String> c = config("lake", server.endpoint(), S3ProxyServer.SECRET_KEY);

        assertTrue(connector.alterOffsets(c, Map.of(new TopicPartition("events", 0), 200L)));
        assertEquals("{\"epoch\":4,\"next\":200,\"pending\":[]}", Files.readString(checkpoint,
            StandardCharsets.UTF_8));
        assertTrue(Files.notExists(pending));

        Map<TopicPartition, Long> reset = new HashMap<>();
        reset.put(new TopicPartition("events", 0), null);
        assertTrue(connector.alterOffsets(c, reset));
        assertEquals("{\"epoch\":5,\"next\":-1,\"pending\":[]}", Files.readString(checkpoint,
            StandardCharsets.UTF_8));
    }
}
