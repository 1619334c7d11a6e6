package io.eventlake.connect.source.http;

import static io.eventlake.connect.source.http.TaskHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task with a real HTTP server and the test in the worker's place. */
class HttpIngestSourceTaskTest {

    static final String SCHEMA = "id:string, user:string, amount:decimal(12,2), at:timestamp";
    static final long AT = Instant.parse("2026-11-24T15:04:05Z").toEpochMilli();

    private TaskHarness harness;

    static String event(String id) {
        return "{\"id\":\"" + id + "\",\"user\":\"u-" + id + "\",\"amount\":\"9.99\",\"at\":\"2026-11-24T15:04:05Z\"}";
    }

    static Map<String, String> typed(String... more) {
        Map<String, String> props = new HashMap<>();
        props.put(HttpIngestConfig.SCHEMA_CONFIG, SCHEMA);
        props.put(HttpIngestConfig.KEY_FIELD_CONFIG, "user");
        props.put(HttpIngestConfig.TIME_FIELD_CONFIG, "at");
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        return props;
    }

    private TaskHarness start(Map<String, String> props) {
        harness = new TaskHarness(props);
        return harness;
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRequestIsAnswered200OnlyAfterEveryEventIsAcknowledged() throws Exception {
        TaskHarness h = start(typed());
        CompletableFuture<HttpResponse<String>> answer = h.postJson("[" + event("a") + "," + event("b") + "]");
        List<SourceRecord> records = h.poll(2);
        h.ack(records.subList(0, 1));
        // commitRecord settles a request on the caller's thread, so the health endpoint shows it at once.
        assertTrue(h.get("/health").body().contains("\"awaiting_ack\":1"), "settled before its second event was "
            + "acknowledged");
        assertFalse(answer.isDone(), "answered before its second event was acknowledged");
        h.ack(records.subList(1, 2));
        HttpResponse<String> response = await(answer);
        assertEquals(200, response.statusCode());
        assertEquals("{\"accepted\":2}\n", response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void eachEventBecomesARecordWithItsKeyTimestampTopicAndStruct() throws Exception {
        TaskHarness h = start(typed());
        CompletableFuture<HttpResponse<String>> answer = h.post("/events", "application/x-ndjson",
            event("a") + "\n" + event("b") + "\n");
        List<SourceRecord> records = h.poll(2);
        h.ack(records);
        assertEquals(200, await(answer).statusCode());
        SourceRecord first = records.get(0);
        assertEquals("http-events", first.topic());
        assertEquals(Schema.STRING_SCHEMA, first.keySchema());
        assertEquals("u-a", first.key());
        assertEquals(AT, first.timestamp());
        assertNull(first.kafkaPartition());
        Struct value = (Struct) first.value();
        assertEquals("a", value.getString("id"));
        assertEquals(new BigDecimal("9.99"), value.get("amount"));
        assertEquals("b", ((Struct) records.get(1).value()).getString("id"));
    }

    @Test
    void identicalEventsGetDistinctOffsetsThatContinueFromTheCommittedOne() throws Exception {
        Map<Map<String, Object>, Map<String, Object>> committed = Map.of(Map.of("task", 0), Map.of("events", 41L));
        harness = new TaskHarness(typed(), committed, null);
        CompletableFuture<HttpResponse<String>> answer = harness.postJson("[" + event("a") + "," + event("a") + "]");
        List<SourceRecord> records = harness.poll(2);
        assertEquals(Map.of("task", 0), records.get(0).sourcePartition());
        assertEquals(Map.of("events", 42L), records.get(0).sourceOffset());
        assertEquals(Map.of("events", 43L), records.get(1).sourceOffset());
        // The exactly-once worker keys a transaction's records by equality: these two must not be equal.
        assertNotEquals(records.get(0), records.get(1));
        harness.ack(records);
        assertEquals(200, await(answer).statusCode());
    }

    @Test
    void eachRouteGoesToItsTopic() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.ROUTES_CONFIG, "/clicks=clicks,/orders=orders"));
        CompletableFuture<HttpResponse<String>> clicks = h.post("/clicks", "application/json", event("c"));
        List<SourceRecord> first = h.poll(1);
        CompletableFuture<HttpResponse<String>> orders = h.post("/orders", "application/json", event("o"));
        List<SourceRecord> second = h.poll(1);
        h.ack(first);
        h.ack(second);
        assertEquals("clicks", first.get(0).topic());
        assertEquals("orders", second.get(0).topic());
        assertEquals(200, await(clicks).statusCode());
        assertEquals(200, await(orders).statusCode());
    }

    @Test
    void schemalessEventsAreMaps() throws Exception {
        TaskHarness h = start(Map.of(HttpIngestConfig.KEY_FIELD_CONFIG, "user"));
        CompletableFuture<HttpResponse<String>> answer = h.postJson("{\"user\":\"u1\",\"n\":1}");
        List<SourceRecord> records = h.poll(1);
        assertNull(records.get(0).valueSchema());
        assertEquals(Map.of("user", "u1", "n", 1L), records.get(0).value());
        h.ack(records);
        assertEquals(200, await(answer).statusCode());
    }

    /** Bad input: the request is answered with its problem, and nothing reaches the worker. */
    private void assertRefused(CompletableFuture<HttpResponse<String>> answer, int status, String... inBody)
        throws Exception {
        HttpResponse<String> response = await(answer);
        assertEquals(status, response.statusCode(), response.body());
        for (String s : inBody) {
            assertTrue(response.body().contains(s), response.body() + " lacks " + s);
        }
        assertTrue(response.body().contains("\"stored\":\"none\""), response.body());
        assertNull(harness.task.poll(), "a refused request reached the worker");
    }

    @Test
    void malformedJsonIs400NamingTheLineAndStoresNothing() throws Exception {
        TaskHarness h = start(typed());
        assertRefused(h.post("/events", "application/x-ndjson", event("a") + "\n{\"id\": oops}\n"), 400,
            "\"line\":2", "\"event\":2", "malformed JSON");
    }

    @Test
    void aMissingRequiredFieldIs400NamingTheField() throws Exception {
        TaskHarness h = start(typed());
        assertRefused(h.postJson("[" + event("a") + ",\n" + event("b").replace(",\"amount\":\"9.99\"", "") + "]"), 400,
            "\"line\":2", "\"event\":2", "\"field\":\"amount\"", "missing required field");
    }

    @Test
    void aWrongTypeIs400NamingTheField() throws Exception {
        TaskHarness h = start(typed());
        assertRefused(h.postJson(event("a").replace("\"9.99\"", "true")), 400, "\"field\":\"amount\"",
            "expected a decimal number, got a boolean");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        TaskHarness h = start(typed());
        assertRefused(h.post("/events", "text/plain", event("a")), 415, "Content-Type text/plain is not supported");
        assertRefused(h.post("/events", null, event("a")), 415, "no Content-Type");
        assertRefused(h.post("/events", "application/json; charset=latin1", event("a")), 415, "charset latin1");
        assertRefused(h.postJson(event("a"), "Content-Encoding", "gzip"), 415, "Content-Encoding gzip");
    }

    @Test
    void aMissingBearerTokenIs401AndAWrongOne403() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.BEARER_TOKEN_CONFIG, "s3cret"));
        HttpResponse<String> missing = await(h.postJson(event("a")));
        assertEquals(401, missing.statusCode());
        assertEquals("Bearer realm=\"eventlake\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertRefused(h.postJson(event("a"), "Authorization", "Bearer guess"), 403, "wrong bearer token");
        assertFalse(await(h.postJson(event("a"), "Authorization", "Bearer guess")).body().contains("s3cret"));
        CompletableFuture<HttpResponse<String>> ok = h.postJson(event("a"), "Authorization", "Bearer s3cret");
        h.ack(h.poll(1));
        assertEquals(200, await(ok).statusCode());
    }

    /** The signature header of a request to {@code path} at {@code seconds} (unix time). */
    static String sign(String secret, long seconds, String path, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((seconds + "." + path + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + seconds + ",sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(
            StandardCharsets.UTF_8)));
    }

    static String sign(String secret, String body) throws Exception {
        return sign(secret, System.currentTimeMillis() / 1000, "/events", body);
    }

    @Test
    void aMissingSignatureIs401AndAWrongOne403() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.HMAC_SECRET_CONFIG, "k3y"));
        String body = event("a");
        assertRefused(h.postJson(body), 401, "missing X-Eventlake-Signature");
        assertRefused(h.postJson(body, "X-Eventlake-Signature", sign("other", body)), 403, "wrong");
        assertRefused(h.postJson(body, "X-Eventlake-Signature", sign("k3y", body + " ")), 403, "wrong");
        assertRefused(h.postJson(body, "X-Eventlake-Signature", "md5=00"), 403, "must be t=");
        CompletableFuture<HttpResponse<String>> ok = h.postJson(body, "X-Eventlake-Signature", sign("k3y", body));
        h.ack(h.poll(1));
        assertEquals(200, await(ok).statusCode());
    }

    /**
     * A captured request cannot be replayed later or to another path. Sequence: a client signs a request to /events
     * at time t; an attacker sends the same body and header 10 minutes later (outside the 300 s window): 403; one
     * signed for /events is sent to /admin-events (another route): 403; a body signed the old way (the body alone):
     * 403.
     */
    @Test
    void aSignatureCoversTheTimeAndThePathSoACapturedRequestCannotBeReplayed() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.HMAC_SECRET_CONFIG, "k3y",
            HttpIngestConfig.ROUTES_CONFIG, "/admin-events=admin"));
        String body = event("a");
        long now = System.currentTimeMillis() / 1000;
        assertRefused(h.postJson(body, "X-Eventlake-Signature", sign("k3y", now - 600, "/events", body)), 403,
            "more than 300 s");
        assertRefused(h.postJson(body, "X-Eventlake-Signature", sign("k3y", now + 600, "/events", body)), 403,
            "more than 300 s");
        assertRefused(h.post("/admin-events", "application/json", body, "X-Eventlake-Signature", sign("k3y", now, "/events",
            body)), 403, "wrong");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k3y".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String bodyOnly = "t=" + now + ",sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(
            StandardCharsets.UTF_8)));
        assertRefused(h.postJson(body, "X-Eventlake-Signature", bodyOnly), 403, "wrong");
        CompletableFuture<HttpResponse<String>> ok = h.post("/admin-events", "application/json", body, "X-Eventlake-Signature",
            sign("k3y", now, "/admin-events", body));
        h.ack(h.poll(1));
        assertEquals(200, await(ok).statusCode());
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.REQUEST_MAX_BYTES_CONFIG, "2048"));
        // Only the head goes out: the answer cannot depend on reading the body.
        String answer = h.raw("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000000000\r\n\r\n", null);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("1000000000 bytes; the limit is 2048 bytes (http.request.max.bytes)"), answer);
        assertNull(h.task.poll());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AsItStreams() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.REQUEST_MAX_BYTES_CONFIG, "2048"));
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            chunks.append("200\r\n").append(" ".repeat(512)).append("\r\n");
        }
        // No last chunk: the body never ends, so only the streaming limit can answer.
        String answer = h.raw("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n", chunks.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("more than 2048 bytes"), answer);
        assertNull(h.task.poll());
    }

    @Test
    void aBodyWithoutLengthOrChunksIs411() throws Exception {
        TaskHarness h = start(typed());
        String answer = h.raw("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n", null);
        assertTrue(answer.startsWith("HTTP/1.1 411"), answer);
        assertTrue(answer.contains("send a Content-Length or a chunked body"), answer);
        assertNull(h.task.poll());
    }

    @Test
    void aChunkedBodyWithinTheLimitIsTaken() throws Exception {
        TaskHarness h = start(typed());
        String body = event("a");
        String answer;
        String head = "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        Thread worker = new Thread(() -> {
            try {
                harness.ack(harness.poll(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        answer = h.raw(head, chunked.getBytes(StandardCharsets.ISO_8859_1));
        worker.join();
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    }

    /**
     * Sequence: (1) a request of 600 bytes is taken into a 1,024-byte buffer and waits, unpolled; (2) a second
     * request of 600 bytes does not fit and is answered 503 with Retry-After, and nothing of it is queued; (3) the
     * first is polled and acknowledged (200), which frees the buffer; (4) the second, sent again, is taken.
     */
    @Test
    void aFullBufferAnswers503WithRetryAfterUntilSpaceIsFreed() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.BUFFER_MAX_BYTES_CONFIG, "1024",
            HttpIngestConfig.REQUEST_MAX_BYTES_CONFIG, "1024", HttpIngestConfig.RETRY_AFTER_CONFIG, "7"));
        String pad = " ".repeat(600 - event("a").length());
        CompletableFuture<HttpResponse<String>> first = h.postJson(event("a") + pad);
        awaitQueued(h, 1);
        HttpResponse<String> second = await(h.postJson(event("b") + pad));
        assertEquals(503, second.statusCode());
        assertEquals("7", second.headers().firstValue("Retry-After").orElse(""));
        assertTrue(second.body().contains("http.buffer.max.bytes"), second.body());
        List<SourceRecord> records = h.poll(1);
        assertEquals(1, records.size());
        assertEquals("a", ((Struct) records.get(0).value()).getString("id"));
        h.ack(records);
        assertEquals(200, await(first).statusCode());
        CompletableFuture<HttpResponse<String>> again = h.postJson(event("b") + pad);
        h.ack(h.poll(1));
        assertEquals(200, await(again).statusCode());
    }

    private static void awaitQueued(TaskHarness h, int requests) throws Exception {
        long deadline = System.nanoTime() + TaskHarness.WAIT.toNanos();
        while (!h.get("/health").body().contains("\"queued_requests\":" + requests)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never queued: " + h.get("/health").body());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Sequence: (1) request A is polled (handed to the worker) and not acknowledged; (2) request B is queued, not
     * polled; (3) the task stops; (4) A is answered 500 with stored=unknown, B 503 with stored=none, neither 2xx;
     * (5) A's records are acknowledged after the stop, and nothing changes; (6) the port no longer takes requests.
     */
    @Test
    void stoppingAnswersEveryOpenRequestWithAnErrorNeverASuccess() throws Exception {
        TaskHarness h = start(typed());
        CompletableFuture<HttpResponse<String>> handed = h.postJson(event("a"));
        List<SourceRecord> records = h.poll(1);
        CompletableFuture<HttpResponse<String>> queued = h.postJson(event("b"));
        awaitQueued(h, 1);
        h.task.stop();
        HttpResponse<String> a = await(handed);
        HttpResponse<String> b = await(queued);
        h.ack(records);
        assertEquals(500, a.statusCode(), a.body());
        assertTrue(a.body().contains("\"stored\":\"unknown\""), a.body());
        assertEquals(503, b.statusCode(), b.body());
        assertTrue(b.body().contains("\"stored\":\"none\""), b.body());
        assertTrue(h.postJson(event("c")).handle((r, e) -> e != null).get(), "the port still answers");
        harness = null;
    }

    @Test
    void anAckTimeoutBeforeThePollIs503AndAfterIt504() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.ACK_TIMEOUT_CONFIG, "300"));
        HttpResponse<String> neverPolled = await(h.postJson(event("a")));
        assertEquals(503, neverPolled.statusCode(), neverPolled.body());
        assertTrue(neverPolled.body().contains("\"stored\":\"none\""), neverPolled.body());
        assertNull(h.task.poll(), "a withdrawn request was handed to the worker");

        CompletableFuture<HttpResponse<String>> polled = h.postJson(event("b"));
        List<SourceRecord> records = h.poll(1);
        HttpResponse<String> notAcknowledged = await(polled);
        assertEquals(504, notAcknowledged.statusCode(), notAcknowledged.body());
        assertTrue(notAcknowledged.body().contains("\"stored\":\"unknown\""), notAcknowledged.body());
        h.ack(records);
    }

    @Test
    void anEventTheWorkerDroppedFailsTheRequest() throws Exception {
        TaskHarness h = start(typed());
        CompletableFuture<HttpResponse<String>> answer = h.postJson("[" + event("a") + "," + event("b") + "]");
        List<SourceRecord> records = h.poll(2);
        h.ack(records.subList(0, 1));
        h.drop(records.subList(1, 2));
        HttpResponse<String> response = await(answer);
        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("\"stored\":\"partial\",\"written\":1,\"not_written\":1"),
            response.body());
    }

    @Test
    void droppedEventsAreAcknowledgedWhenThePolicySaysSo() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.DROPPED_POLICY_CONFIG, "acknowledge"));
        CompletableFuture<HttpResponse<String>> answer = h.postJson("[" + event("a") + "," + event("b") + "]");
        List<SourceRecord> records = h.poll(2);
        h.ack(records.subList(0, 1));
        h.drop(records.subList(1, 2));
        HttpResponse<String> response = await(answer);
        assertEquals(200, response.statusCode());
        assertEquals("{\"accepted\":2,\"dropped\":1}\n", response.body());
    }

    @Test
    void metadataWithoutAnOffsetIsNotAnAcknowledgement() throws Exception {
        TaskHarness h = start(typed());
        CompletableFuture<HttpResponse<String>> answer = h.postJson(event("a"));
        SourceRecord record = h.poll(1).get(0);
        // What a producer with acks=0 reports: nobody acknowledged the record.
        h.task.commitRecord(record, new RecordMetadata(new TopicPartition("http-events", 0), -1, 0, 0, 1, 1));
        assertEquals(500, await(answer).statusCode());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        TaskHarness h = start(typed());
        assertRefused(h.post("/nope", "application/json", event("a")), 404, "no ingest path /nope");
        HttpResponse<String> get = h.get("/events");
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void theHealthEndpointShowsTheBuffer() throws Exception {
        TaskHarness h = start(typed(HttpIngestConfig.BEARER_TOKEN_CONFIG, "t"));
        HttpResponse<String> health = h.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\"") && health.body().contains("\"queued_requests\":0"),
            health.body());
    }
}
