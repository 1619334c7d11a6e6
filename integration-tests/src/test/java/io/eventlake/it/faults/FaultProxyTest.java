package io.eventlake.it.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The fault proxy itself, in front of the JDK's HTTP server (or a raw socket server that records bytes). */
class FaultProxyTest {

    private HttpServer upstream;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private FaultProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body.length);
            byte[] answer = ("got " + body.length).getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().endsWith(".chunked")) {
                exchange.sendResponseHeaders(200, 0);
            } else {
                exchange.sendResponseHeaders(200, answer.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        upstream.start();
        proxy = FaultProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.stop(0);
    }

    /** A PUT through the proxy; the timeout only keeps a broken proxy from hanging the test. */
    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + path)).timeout(Duration.ofSeconds(60))
            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void relaysRequestsByteForByteOverOneKeptAliveConnection() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             FaultProxy rawProxy = FaultProxy.start("http://127.0.0.1:" + raw.getLocalPort())) {
            AtomicInteger accepted = new AtomicInteger();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = raw.accept()) {
                    accepted.incrementAndGet();
                    s.setSoTimeout(30_000);
                    InputStream in = s.getInputStream();
                    for (int i = 0; i < 2; i++) {
                        HttpWire.Head head = HttpWire.readHead(in);
                        received.write(head.raw());
                        HttpWire.relayRequestBody(head, in, received);
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] body = {0, 13, 10, 13, 10, (byte) 0xff, 'x'};
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            sent.write(("PUT /eventlake/topics/t/a%2B0%3D1.parquet HTTP/1.1\r\nhOsT: s3.example:9000\r\n"
                + "X-Amz-Date: 20261201T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=x\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            sent.write(body);
            sent.write("GET /eventlake/x?list-type=2 HTTP/1.1\r\nHost: s3.example:9000\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
            try (Socket client = new Socket("127.0.0.1", Integer.parseInt(rawProxy.endpoint().replaceAll(".*:", "")))) {
                client.getOutputStream().write(sent.toByteArray());
                InputStream in = client.getInputStream();
                for (int i = 0; i < 2; i++) {
                    HttpWire.Head answer = HttpWire.readHead(in);
                    assertEquals(200, answer.status());
                    HttpWire.copy(in, OutputStream.nullOutputStream(), answer.contentLength());
                }
            }
            server.get();
            assertArrayEquals(sent.toByteArray(), received.toByteArray(), "the server got exactly what was sent");
            assertEquals(1, accepted.get(), "both requests on one kept-alive connection");
            List<Exchange> exchanges = rawProxy.exchanges();
            assertEquals("/eventlake/topics/t/a+0=1.parquet", exchanges.get(0).path(), "escapes decoded");
            assertEquals("s3.example:9000", exchanges.get(0).request().header("host"));
            assertNull(exchanges.get(0).request().header("Authorization"), "secrets are not recorded");
            assertEquals("/eventlake/x", exchanges.get(1).path());
            assertEquals("/eventlake/x?list-type=2", exchanges.get(1).request().target());
        }
    }

    @Test
    void answersTheChosenMatchesWithAnS3ErrorAndPassesTheRestOn() throws Exception {
        Rule rule = proxy.add(Rule.on("PUT", "/b/.*\\.parquet").nth(2).times(2).then(Fault.slowDown()));
        List<Integer> statuses = new java.util.ArrayList<>();
        HttpResponse<String> error = null;
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = put("/b/f" + i + ".parquet", "data" + i);
            statuses.add(r.statusCode());
            if (r.statusCode() == 503) {
                error = r;
            }
        }
        put("/b/other.json", "x");
        assertEquals(List.of(200, 503, 503, 200), statuses);
        assertTrue(error.body().contains("<Code>SlowDown</Code>"), error.body());
        assertEquals(List.of("PUT /b/f0.parquet 5", "PUT /b/f3.parquet 5", "PUT /b/other.json 1"), seen);
        assertEquals(4, rule.matched());
        assertEquals(2, rule.fired());
        assertEquals(List.of(200, 503, 503, 200, 200), proxy.exchanges().stream().map(Exchange::status).toList());
        assertEquals(1, proxy.exchanges().stream().map(e -> e.request().connection()).distinct().count(),
            "the error answers keep the connection");
    }

    @Test
    void aResetMidRequestPassesNothingOn() throws Exception {
        proxy.add(Rule.on("PUT", "/b/.*").then(Fault.resetMidRequest()));
        assertThrows(IOException.class, () -> put("/b/f", "x".repeat(10_000)));
        assertEquals(List.of(), seen);
        assertEquals(-1, proxy.exchanges().get(0).status());
        assertEquals(200, put("/b/f", "again").statusCode(), "the next request goes through");
    }

    @Test
    void aResetMidResponseComesAfterTheServerActed() throws Exception {
        proxy.add(Rule.on("PUT", "/b/.*").then(Fault.resetMidResponse()));
        assertThrows(IOException.class, () -> put("/b/f", "x"));
        assertEquals(List.of("PUT /b/f 1"), seen);
    }

    @Test
    void aHeldAnswerOutlastsTheClientsTimeoutWhileTheServerActed() throws Exception {
        proxy.add(Rule.on("PUT", "/b/.*").then(Fault.holdResponse(Duration.ofSeconds(3))));
        assertThrows(HttpTimeoutException.class, () -> http.send(HttpRequest.newBuilder(URI.create(proxy.endpoint()
            + "/b/f")).timeout(Duration.ofMillis(300)).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString()));
        assertEquals(List.of("PUT /b/f 1"), seen);
    }

    @Test
    void aStallHoldsRequestsUntilReleasedThenAppliesTheVerdict() throws Exception {
        Gate gate = new Gate();
        proxy.add(Rule.on("PUT", "/b/.*").always().then(Fault.stall(gate)));
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> status("/b/a"));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> status("/b/b"));
        assertTrue(gate.awaitHeld(2, Duration.ofSeconds(30)));
        assertFalse(a.isDone() || b.isDone(), "held");
        assertEquals(List.of(), seen);
        gate.release(r -> r.path().equals("/b/a") ? Fault.internalError() : null);
        assertEquals(500, a.get());
        assertEquals(200, b.get());
        assertEquals(List.of("PUT /b/b 1"), seen);
        assertEquals(200, status("/b/c"), "after the release, matches pass at once");
    }

    private int status(String path) {
        try {
            return put(path, "x").statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void relaysExpectContinueAndChunkedAnswers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/f.chunked"))
            .expectContinue(true).timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString("12345"))
            .build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("got 5", r.body());
        assertTrue("100-continue".equalsIgnoreCase(proxy.exchanges().get(0).request().header("Expect")));
        assertEquals(200, put("/b/g", "abc").statusCode(), "and the connection goes on");
    }

    @Test
    void aRuleCanAskForAHeader() throws Exception {
        proxy.add(Rule.on("PUT", "/b/.*").header("If-None-Match", "\\*").always().then(Fault.accessDenied()));
        assertEquals(200, put("/b/f", "x").statusCode());
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/f"))
            .header("If-None-Match", "*").PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("<Code>AccessDenied</Code>"), denied.body());
    }
}
