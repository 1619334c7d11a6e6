package io.eventlake.connect.source.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.http.event.BodyParser;
import io.eventlake.connect.source.http.event.EventReader;
import io.eventlake.connect.source.http.event.TimeParser;

class IngestServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServerSettings settings(int port, long stallMs, int threads, int readThreads, long readTimeoutMs,
                                           int requestMaxBytes) {
        return new ServerSettings("127.0.0.1", port, Map.of("/events", "t"), "/health", threads, readThreads,
            readTimeoutMs, requestMaxBytes, 30_000, 3, stallMs, false, null, null, "X-Sig", 300, null, "test");
    }

    private static IngestServer server(IngestBuffer buffer, int port, long stallMs) {
        return server(buffer, settings(port, stallMs, 2, 16, 30_000, 1024 * 1024));
    }

    private static IngestServer server(IngestBuffer buffer, ServerSettings settings) {
        BodyParser parser = new BodyParser(new EventReader(null, "", "", TimeParser.of("iso8601", ZoneId.of("UTC")),
            false));
        return new IngestServer(settings, parser, buffer).start();
    }

    /** A client that sends a head declaring {@code declared} bytes and then {@code sent} of them, and stalls. */
    private static Socket slowClient(IngestServer server, int declared, int sent) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        OutputStream out = s.getOutputStream();
        out.write(("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[sent]);
        out.flush();
        return s;
    }

    /** True when the server closed the connection without an answer; false when it answered. */
    private static boolean closedWithoutAnswer(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Sequence: (1) a server with one read thread and a read deadline of 300 ms; (2) a client sends a head declaring
     * 100 bytes and 10 of them, then stalls, holding the only read thread; (3) the deadline passes: the connection is
     * closed without an answer, its reservation released, nothing queued; (4) the health path, which needs that read
     * thread, answers again and counts the cut request. A client that stalls in its head is cut the same way.
     */
    @Test
    void aClientThatSendsTooSlowlyIsCutAtTheReadDeadlineAndStoresNothing() throws Exception {
        IngestBuffer buffer = new IngestBuffer(1 << 20);
        try (IngestServer server = server(buffer, settings(0, 60_000, 1, 1, 300, 1024 * 1024));
             Socket slowBody = slowClient(server, 100, 10)) {
            assertTrue(closedWithoutAnswer(slowBody), "cut, not answered");
            await("the reservation released", () -> buffer.bytes() == 0);
            assertEquals(0, buffer.queued());
            HttpResponse<String> health = send(server, HttpRequest.newBuilder(uri(server, "/health")));
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"cut_requests\":1"), health.body());
            try (Socket slowHead = new Socket("127.0.0.1", server.port())) {
                slowHead.getOutputStream().write("POST /events HTTP/1.1\r\nHost: x\r\n".getBytes(
                    StandardCharsets.ISO_8859_1));
                assertTrue(closedWithoutAnswer(slowHead), "cut in its head");
            }
            await("the second cut counted", () -> {
                try {
                    return send(server, HttpRequest.newBuilder(uri(server, "/health"))).body()
                        .contains("\"cut_requests\":2");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    /**
     * Sequence: (1) a server that parses one request at a time and reads up to eight; (2) five clients send part of
     * a body and stall (a deadline of a minute, not reached); (3) the health path is answered and shows the five
     * reads; (4) a well-behaved client's request is read, parsed and queued meanwhile.
     */
    @Test
    void slowClientsEachHoldOneReadThreadNotTheServer() throws Exception {
        IngestBuffer buffer = new IngestBuffer(1 << 20);
        List<Socket> slow = new ArrayList<>();
        try (IngestServer server = server(buffer, settings(0, 60_000, 1, 8, 60_000, 1024 * 1024))) {
            for (int i = 0; i < 5; i++) {
                slow.add(slowClient(server, 1000, 10));
            }
            await("five requests being read", () -> server.reading() == 5);
            HttpResponse<String> health = send(server, HttpRequest.newBuilder(uri(server, "/health")));
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"reading_requests\":"), health.body());
            CLIENT.sendAsync(HttpRequest.newBuilder(uri(server, "/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            await("the well-behaved request queued", () -> buffer.queued() == 1);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /**
     * Sequence: (1) a 64 MiB buffer and a request limit of 10 MiB; (2) seven clients each declare 10 MiB, send 1 KiB
     * and stall (70 MiB declared, more than the buffer); (3) each holds only its first reservation; (4) a
     * well-behaved request still fits and is queued, not refused 503.
     */
    @Test
    void aDeclaredLengthIsReservedAsTheBodyArrivesNotUpFront() throws Exception {
        IngestBuffer buffer = new IngestBuffer(64L << 20);
        List<Socket> slow = new ArrayList<>();
        try (IngestServer server = server(buffer, settings(0, 60_000, 2, 16, 60_000, 10 << 20))) {
            for (int i = 0; i < 7; i++) {
                slow.add(slowClient(server, 10 << 20, 1024));
            }
            await("seven bodies being read", () -> buffer.bytes() == 7L * BodyReader.FIRST_RESERVATION);
            HttpResponse<String> queued = CLIENT.sendAsync(HttpRequest.newBuilder(uri(server, "/events"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).exceptionally(e -> null).get();
            assertEquals(null, queued, "no answer yet: the request waits for its acknowledgement, it was not refused");
            assertEquals(1, buffer.queued());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /**
     * Sequence: (1) a server with two read threads; (2) two clients stall in their bodies; (3) a third connection
     * sends a whole request: it is closed at once, not queued behind the slow ones, and counted as refused.
     */
    @Test
    void whenEveryReadThreadIsBusyANewConnectionIsClosedAtOnce() throws Exception {
        IngestBuffer buffer = new IngestBuffer(1 << 20);
        try (IngestServer server = server(buffer, settings(0, 60_000, 1, 2, 60_000, 1024 * 1024));
             Socket a = slowClient(server, 100, 1);
             Socket b = slowClient(server, 100, 1)) {
            await("two requests being read", () -> server.reading() == 2);
            assertTrue(a.isConnected() && b.isConnected());
            try (Socket third = new Socket("127.0.0.1", server.port())) {
                try {
                    third.getOutputStream().write(("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        + "application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                } catch (SocketException e) {
                    // Closed before the request was all out: the same outcome.
                }
                assertTrue(closedWithoutAnswer(third));
            }
            assertEquals(1, server.refusedConnections());
        }
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
