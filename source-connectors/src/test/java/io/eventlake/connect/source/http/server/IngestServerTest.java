package io.eventlake.connect.source.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.http.event.BodyParser;
import io.eventlake.connect.source.http.event.EventReader;
import io.eventlake.connect.source.http.event.TimeParser;

class IngestServerTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServerSettings settings(int port, long stallMs) {
        return new ServerSettings("127.0.0.1", port, Map.of("/events", "t"), "/health", 2, 1024 * 1024, 30_000, 3,
            stallMs, false, null, null, "X-Sig", 300, null, "test");
    }

    private static IngestServer server(IngestBuffer buffer, int port, long stallMs) {
        BodyParser parser = new BodyParser(new EventReader(null, "", "", TimeParser.of("iso8601", ZoneId.of("UTC")),
            false));
        return new IngestServer(settings(port, stallMs), parser, buffer).start();
    }

    private static HttpResponse<String> send(IngestServer server, HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(IngestServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /**
     * Sequence: (1) the server starts and nobody polls its buffer (a paused connector); (2) once the stall limit has
     * passed, the health endpoint answers 503 and a POST is refused 503 with Retry-After, nothing queued; (3) a poll
     * comes, and the endpoint is healthy again.
     */
    @Test
    void aTaskConnectDoesNotPollRefusesRequests() throws Exception {
        IngestBuffer buffer = new IngestBuffer(1 << 20);
        try (IngestServer server = server(buffer, 0, 200)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> health = send(server, HttpRequest.newBuilder(uri(server, "/health")));
            while (health.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                health = send(server, HttpRequest.newBuilder(uri(server, "/health")));
            }
            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("has not polled this task"), health.body());
            HttpResponse<String> post = send(server, HttpRequest.newBuilder(uri(server, "/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(503, post.statusCode());
            assertEquals("3", post.headers().firstValue("Retry-After").orElse(""));
            assertEquals(0, buffer.queued());
            buffer.take(1, 0);
            assertEquals(200, send(server, HttpRequest.newBuilder(uri(server, "/health"))).statusCode());
        }
    }

    /** Without it, each answer would wait for the client's delayed ACK (the JDK server writes head and body apart). */
    @Test
    void startingAServerTurnsNaglesAlgorithmOffUnlessTheJvmSaysOtherwise() {
        String before = System.clearProperty(IngestServer.NO_DELAY_PROPERTY);
        try (IngestServer server = server(new IngestBuffer(1024), 0, 5_000)) {
            assertEquals("true", System.getProperty(IngestServer.NO_DELAY_PROPERTY));
        } finally {
            if (before != null) {
                System.setProperty(IngestServer.NO_DELAY_PROPERTY, before);
            }
        }
        System.setProperty(IngestServer.NO_DELAY_PROPERTY, "false");
        try (IngestServer server = server(new IngestBuffer(1024), 0, 5_000)) {
            assertEquals("false", System.getProperty(IngestServer.NO_DELAY_PROPERTY), "the JVM's choice is kept");
        } finally {
            System.setProperty(IngestServer.NO_DELAY_PROPERTY, "true");
        }
    }

    @Test
    void aPortInUseFailsTheTaskNamingTheAddress() throws Exception {
        try (IngestServer first = server(new IngestBuffer(1024), 0, 5_000)) {
            ConnectException e = assertThrows(ConnectException.class,
                () -> server(new IngestBuffer(1024), first.port(), 5_000));
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()) && e.getMessage().contains("http.port"),
                e.getMessage());
        }
    }
}
