package io.eventlake.connect.sink.s3.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.connect.sink.s3.S3ProxyServer;

/**
 * The S3 store against a real S3-compatible server on loopback (S3Proxy over a folder): conditional writes, which
 * fence zombie writers, multipart uploads, and errors that say what to fix.
 */
class S3ObjectStoreTest {

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

    private static S3ObjectStore store(String bucket, String secret) {
        return S3ObjectStore.create(S3Settings.forEndpoint(bucket, server.endpoint(), S3ProxyServer.ACCESS_KEY,
            secret).withRetry(new S3Settings.Retry(2, java.time.Duration.ofMillis(10),
            java.time.Duration.ofMillis(50))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetDeleteRoundTripAsPlainFiles() throws Exception {
        try (S3ObjectStore store = store("lake", S3ProxyServer.SECRET_KEY)) {
            store.checkBucket();
            byte[] body = bytes("hello lake");
            String etag = store.putIfAbsent("a/b/c.parquet", () -> new ByteArrayInputStream(body), body.length);
            ObjectStore.StoredObject got = store.get("a/b/c.parquet").orElseThrow();
            assertArrayEquals(body, got.bytes());
            assertEquals(etag, got.etag());
            assertEquals(Optional.of((long) body.length), store.head("a/b/c.parquet"));
            assertArrayEquals(body, Files.readAllBytes(dir.resolve("lake/a/b/c.parquet")));
            store.delete("a/b/c.parquet");
            assertEquals(Optional.empty(), store.get("a/b/c.parquet"));
            assertEquals(Optional.empty(), store.head("a/b/c.parquet"));
            store.delete("a/b/c.parquet");
        }
    }

    @Test
    void aSecondPutIfAbsentFailsAndLeavesTheFirst() {
        try (S3ObjectStore store = store("lake", S3ProxyServer.SECRET_KEY)) {
            byte[] first = bytes("first");
            store.putIfAbsent("once", () -> new ByteArrayInputStream(first), first.length);
            byte[] second = bytes("second");
            assertThrows(PreconditionFailedException.class,
                () -> store.putIfAbsent("once", () -> new ByteArrayInputStream(second), second.length));
            assertArrayEquals(first, store.get("once").orElseThrow().bytes());
        }
    }

    @Test
    void putIfMatchReplacesOnlyTheVersionItNames() {
        try (S3ObjectStore store = store("lake", S3ProxyServer.SECRET_KEY)) {
            byte[] v1 = bytes("v1");
            String etag1 = store.putIfAbsent("cp", () -> new ByteArrayInputStream(v1), v1.length);
            byte[] v2 = bytes("v2");
            String etag2 = store.putIfMatch("cp", () -> new ByteArrayInputStream(v2), v2.length, etag1);
            assertNotEquals(etag1, etag2);
            byte[] zombie = bytes("zombie");
            assertThrows(PreconditionFailedException.class,
                () -> store.putIfMatch("cp", () -> new ByteArrayInputStream(zombie), zombie.length, etag1));
            assertArrayEquals(v2, store.get("cp").orElseThrow().bytes());
        }
    }

    @Test
    void multipartUploadsAppearOnlyWhenCompleteAndCanBeListedAndAborted() {
        try (S3ObjectStore store = store("lake", S3ProxyServer.SECRET_KEY)) {
            byte[] part = new byte[5 * 1024 * 1024];
            Arrays.fill(part, (byte) 7);
            MultipartUpload upload = store.startMultipart("big/one.parquet");
            upload.uploadPart(part, part.length);
            upload.uploadPart(bytes("tail"), 4);
            assertEquals(Optional.empty(), store.head("big/one.parquet"));
            assertEquals(List.of("big/one.parquet"), store.pendingUploads("big/").stream()
                .map(ObjectStore.PendingUpload::key).toList());
            upload.completeIfAbsent();
            assertEquals(Optional.of(part.length + 4L), store.head("big/one.parquet"));

            MultipartUpload again = store.startMultipart("big/one.parquet");
            again.uploadPart(bytes("x"), 1);
            assertThrows(PreconditionFailedException.class, again::completeIfAbsent);

            MultipartUpload orphan = store.startMultipart("big/two.parquet");
            orphan.uploadPart(bytes("y"), 1);
            store.pendingUploads("big/").forEach(store::abortUpload);
            assertTrue(store.pendingUploads("big/").isEmpty());
            assertEquals(Optional.empty(), store.head("big/two.parquet"));
        }
    }

    @Test
    void theServerHonoursConditionalWritesAndTheProbeSaysSo() {
        try (S3ObjectStore store = store("lake", S3ProxyServer.SECRET_KEY)) {
            assertTrue(ConditionalWrites.honoured(store, "_probe/one.txt"));
            assertEquals(Optional.empty(), store.head("_probe/one.txt"), "the probe cleans up");
        }
    }

    @Test
    void theProbeNoticesAServerThatIgnoresConditions() {
        ObjectStore careless = new io.eventlake.connect.sink.s3.InMemoryObjectStore() {
            @Override
            public String putIfAbsent(String key, java.util.function.Supplier<java.io.InputStream> content,
                                      long length) {
                delete(key);
                return super.putIfAbsent(key, content, length);
            }
        };
        assertTrue(!ConditionalWrites.honoured(careless, "p"));
    }

    @Test
    void aMissingBucketFailsNamingIt() {
        try (S3ObjectStore store = store("no-such-bucket", S3ProxyServer.SECRET_KEY)) {
            StorageException e = assertThrows(StorageException.class, store::checkBucket);
            assertTrue(e.getMessage().contains("no such bucket 'no-such-bucket'"), e.getMessage());
        }
    }

    @Test
    void wrongCredentialsFailWithTheKeyToFix() {
        try (S3ObjectStore store = store("lake", "wrong")) {
            StorageException e = assertThrows(StorageException.class,
                () -> store.putIfAbsent("k", () -> new ByteArrayInputStream(new byte[1]), 1));
            assertTrue(e.getMessage().contains("s3://lake/k") && e.getMessage().contains("aws.secret.access.key"),
                e.getMessage());
        }
    }

    @Test
    void anUnreachableEndpointIsRetriable() {
        try (S3ObjectStore store = S3ObjectStore.create(S3Settings.forEndpoint("lake", "http://127.0.0.1:1", "id",
            "secret").withRetry(new S3Settings.Retry(1, java.time.Duration.ofMillis(1),
            java.time.Duration.ofMillis(1))))) {
            RetriableStorageException e = assertThrows(RetriableStorageException.class, () -> store.get("k"));
            assertTrue(e.getMessage().contains("no answer from the S3 endpoint"), e.getMessage());
        }
    }
}
