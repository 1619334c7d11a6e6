package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AtomicConditionalWritesTest {

    private static final String BUCKET = "b";
    private static final String KEY = "_eventlake/checkpoints/topics/t/0.json";

    @TempDir
    Path dir;
    private BlobStore store;

    @BeforeEach
    void createBucket() {
        store = new AtomicConditionalWrites(new FilesystemNio2BlobStore(dir.toString()));
        store.createContainer(BUCKET);
    }

    private String put(String body, String ifMatch, InputStream payload) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return store.putBlob(PutObjectRequest.builder().bucket(BUCKET).key(KEY).contentLength((long) bytes.length)
            .ifMatch(ifMatch).build(), payload == null ? new ByteArrayInputStream(bytes) : payload).eTag();
    }

    @Test
    void aWriteNamingTheCurrentETagReplacesTheObject() {
        String first = put("{\"epoch\":1}", null, null);
        String second = put("{\"epoch\":2}", first, null);
        assertTrue(!AtomicConditionalWrites.sameETag(first, second), first + " " + second);
    }

    @Test
    void aWriteNamingAnOldETagOrAMissingObjectFailsWith412() {
        String first = put("{\"epoch\":1}", null, null);
        put("{\"epoch\":2}", first, null);
        assertEquals(412, assertThrows(S3Exception.class, () -> put("{\"epoch\":3}", first, null)).statusCode());
        store.removeBlob(BUCKET, KEY, null);
        assertEquals(412, assertThrows(S3Exception.class, () -> put("{\"epoch\":3}", first, null)).statusCode());
    }

    /**
     * Writers that all read the same version race to replace it (a stalled old owner and the task that takes its
     * partition over).
     * <ol>
     *   <li>The object is written; 8 writers each send a PUT naming its ETag, at once.</li>
     *   <li>Each writer's body arrives only once all 8 are in, or after 2 s: on S3Proxy's own store every writer
     *       has passed the ETag check by then.</li>
     * </ol>
     * Exactly one write succeeds; the 7 others get 412, as on S3.
     */
    @Test
    void ofWritersNamingTheSameETagAtOnceExactlyOneWins() throws Exception {
        String etag = put("{\"epoch\":1}", null, null);
        int writers = 8;
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"epoch\":" + (2 + i) + "}";
                results.add(pool.submit(() -> {
                    try {
                        put(body, etag, new HeldBody(body.getBytes(StandardCharsets.UTF_8), together));
                        return 200;
                    } catch (S3Exception e) {
                        return e.statusCode();
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> r : results) {
                statuses.add(r.get(120, TimeUnit.SECONDS));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(writers - 1, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A body whose first byte waits until every writer is sending one, or 2 s at most. */
    private static final class HeldBody extends InputStream {
        private final ByteArrayInputStream bytes;
        private final CyclicBarrier together;
        private boolean waited;

        HeldBody(byte[] bytes, CyclicBarrier together) {
            this.bytes = new ByteArrayInputStream(bytes);
            this.together = together;
        }

        private void waitOnce() throws IOException {
            if (waited) {
                return;
            }
            waited = true;
            try {
                together.await(2, TimeUnit.SECONDS);
            } catch (TimeoutException | BrokenBarrierException e) {
                // Under the lock the others cannot arrive: go on.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public int read() throws IOException {
            waitOnce();
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            waitOnce();
            return bytes.read(b, off, len);
        }
    }
}
