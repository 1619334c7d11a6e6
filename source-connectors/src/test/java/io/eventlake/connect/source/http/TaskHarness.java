package io.eventlake.connect.source.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs an {@link HttpIngestSourceTask} as the worker would, with the test in the worker's place: the test polls,
 * and acknowledges or drops records through {@code commitRecord}, and sends requests to the task's port.
 */
final class TaskHarness implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);

    final HttpIngestSourceTask task = new HttpIngestSourceTask();
    private final HttpClient client;
    private final String scheme;
    private long offset;

    TaskHarness(Map<String, String> overrides) {
        this(overrides, Map.of(), null);
    }

    /**
     * @param committed offsets the worker has for the task's partitions
     * @param tls the client's TLS context for an HTTPS task, or null
     */
    TaskHarness(Map<String, String> overrides, Map<Map<String, Object>, Map<String, Object>> committed,
                SSLContext tls) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "test-http");
        props.put(HttpIngestConfig.PORT_CONFIG, "0");
        props.put(HttpIngestConfig.BIND_ADDRESS_CONFIG, "127.0.0.1");
        props.putAll(overrides);
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return committed.get((Map<String, Object>) partition);
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> ps) {
                        throw new UnsupportedOperationException();
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        client = b.build();
        scheme = tls != null ? "https" : "http";
    }

    int port() {
        return task.port();
    }

    URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port() + path);
    }

    /** POSTs a body; the answer comes when the task settles the request. */
    CompletableFuture<HttpResponse<String>> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(WAIT)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postJson(String body, String... headers) {
        return post("/events", "application/json", body, headers);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> answer) throws Exception {
        return answer.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Polls as the worker does until {@code n} records came, failing past the deadline. */
    List<SourceRecord> poll(int n) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (records.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + records.size() + " of " + n + " records came");
            }
            List<SourceRecord> got = task.poll();
            if (got != null) {
                records.addAll(got);
            }
        }
        return records;
    }

    /** Kafka acknowledged the records. */
    void ack(List<SourceRecord> records) {
        for (SourceRecord r : records) {
            task.commitRecord(r, new RecordMetadata(new TopicPartition(r.topic(), 0), offset++, 0, 0, 10, 10));
        }
    }

    /** The worker dropped the records (a filter, or a failure under errors.tolerance=all). */
    void drop(List<SourceRecord> records) {
        for (SourceRecord r : records) {
            task.commitRecord(r, null);
        }
    }

    /** Sends raw bytes and reads the whole answer until the server closes the connection or sends it all. */
    String raw(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // The server may answer and close before taking the whole body.
                }
            }
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}\n") > 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    @Override
    public void close() {
        task.stop();
    }
}
