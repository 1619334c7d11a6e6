package io.eventlake.connect.sink.s3.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.errors.ConnectException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.connect.sink.s3.S3ParquetSinkConfig;

/** The S3 store against a real S3-compatible server on loopback (S3Proxy over a folder). */
class S3ObjectStoreTest {

    @TempDir
    static Path dir;
    private static S3Proxy proxy;
    private static String endpoint;

    @BeforeAll
    static void startServer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        endpoint = "http://127.0.0.1:" + port;
        FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(dir.toString());
        blobs.createContainer("lake");
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create(endpoint))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "id", "secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        proxy.stop();
    }

    private static S3ParquetSinkConfig config(String bucket, String secret) {
        Map<String, String> props = new HashMap<>();
        props.put(S3ParquetSinkConfig.S3_BUCKET_CONFIG, bucket);
        props.put(S3ParquetSinkConfig.S3_ENDPOINT_CONFIG, endpoint);
        props.put(S3ParquetSinkConfig.S3_PATH_STYLE_CONFIG, "true");
        props.put(S3ParquetSinkConfig.AWS_ACCESS_KEY_ID_CONFIG, "id");
        props.put(S3ParquetSinkConfig.AWS_SECRET_ACCESS_KEY_CONFIG, secret);
        return new S3ParquetSinkConfig(props);
    }

    @Test
    void putGetDeleteRoundTripAsPlainFiles() throws Exception {
        try (S3ObjectStore store = S3ObjectStore.create(config("lake", "secret"))) {
            store.checkBucket();
            byte[] body = "hello lake".getBytes(StandardCharsets.UTF_8);
            store.put("a/b/c.parquet", () -> new ByteArrayInputStream(body), body.length);
            assertArrayEquals(body, store.get("a/b/c.parquet").orElseThrow());
            assertArrayEquals(body, Files.readAllBytes(dir.resolve("lake/a/b/c.parquet")));
            store.delete("a/b/c.parquet");
            assertEquals(Optional.empty(), store.get("a/b/c.parquet"));
            store.delete("a/b/c.parquet");
        }
    }

    @Test
    void missingBucketFailsAtStartNamingIt() {
        try (S3ObjectStore store = S3ObjectStore.create(config("no-such-bucket", "secret"))) {
            ConnectException e = assertThrows(ConnectException.class, store::checkBucket);
            assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
        }
    }

    @Test
    void wrongCredentialsFailWithTheKey() {
        try (S3ObjectStore store = S3ObjectStore.create(config("lake", "wrong"))) {
            ConnectException e = assertThrows(ConnectException.class,
                () -> store.put("k", () -> new ByteArrayInputStream(new byte[1]), 1));
            assertTrue(e.getMessage().contains("s3://lake/k"), e.getMessage());
        }
    }
}
