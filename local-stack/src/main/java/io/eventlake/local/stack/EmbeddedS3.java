package io.eventlake.local.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3-compatible server (S3Proxy) on loopback whose buckets are folders under {@code baseDir}: object
 * {@code key} of bucket {@code b} is the plain file {@code baseDir/b/key}. Conditional writes are atomic, as on S3
 * ({@link AtomicConditionalWrites}).
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "eventlake";
    public static final String SECRET_KEY = "eventlake-secret";

    private final Path baseDir;
    private final int port;
    private S3Proxy proxy;

    public EmbeddedS3(Path baseDir, int port) {
        this.baseDir = baseDir;
        this.port = port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public void start(String bucket) throws Exception {
        Files.createDirectories(baseDir);
        BlobStore store = new AtomicConditionalWrites(new FilesystemNio2BlobStore(baseDir.toAbsolutePath().toString()));
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        proxy = S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create(endpoint()))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start on " + endpoint() + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }
}
