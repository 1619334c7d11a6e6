package io.eventlake.connect.sink.s3;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3-compatible server (S3Proxy over a folder) on loopback, for tests. */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "id";
    public static final String SECRET_KEY = "secret";

    private final S3Proxy proxy;
    private final String endpoint;

    private S3ProxyServer(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts the server with the given buckets; fails if it is not serving within 30 s. */
    public static S3ProxyServer start(Path dir, String... buckets) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(dir.toString());
        for (String bucket : buckets) {
            blobs.createContainer(bucket);
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create(endpoint))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(10);
        }
        return new S3ProxyServer(proxy, endpoint);
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
