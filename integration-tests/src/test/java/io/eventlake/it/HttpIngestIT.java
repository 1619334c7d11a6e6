package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import io.eventlake.local.stack.LakeStats;

/**
 * The HTTP ingest connector from the built zip on a real worker with exactly-once source support: events POSTed as
 * single objects, arrays and NDJSON land in the lake exactly once; every bad request gets its status and stores
 * nothing; a request whose events are not acknowledged when the task stops or its producer fails is never answered
 * 2xx. What landed is read back from the topic and, with DuckDB, from the lake.
 */
class HttpIngestIT extends StackIT {

    static final String HTTP = "io.eventlake.connect.source.http.HttpIngestSourceConnector";
    static final String SCHEMA = "event_id:string, user_id:string, event_type:string, amount:decimal(12,2)?, "
        + "event_time:timestamp";
    static final Duration WAIT = Duration.ofSeconds(120);
    static final long BASE = Instant.parse("2026-11-24T13:30:00Z").toEpochMilli();

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Creates the connector and waits until its server answers its health check. */
    static int startConnector(String name, String topic, Map<String, String> extra) throws Exception {
        int port = extra.containsKey("http.port") ? Integer.parseInt(extra.get("http.port")) : freePort();
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", HTTP);
        config.put("tasks.max", "1");
        config.put("http.port", Integer.toString(port));
        config.put("http.bind.address", "127.0.0.1");
        config.put("topic", topic);
        config.put("event.schema", SCHEMA);
        config.put("event.key.field", "user_id");
        config.put("event.time.field", "event_time");
        config.put("exactly.once.support", "required");
        config.putAll(extra);
        stack.connect().putConfig(name, config);
        PluginZipPipelineIT.await(120, name + " to serve", () -> {
            String failure = stack.connect().failure(name);
            if (failure != null) {
                throw new AssertionError(failure);
            }
            return health(port) == 200;
        });
        return port;
    }

    static int health(int port) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String healthBody(int port) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static CompletableFuture<HttpResponse<String>> post(int port, String contentType, String body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
            .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return CLIENT.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String event(int i) {
        String amount = i % 3 == 0 ? "null" : "\"" + (i % 1000) + "." + String.format("%02d", i % 100) + "\"";
        return "{\"event_id\":\"ev-" + i + "\",\"user_id\":\"u-" + (i % 17) + "\",\"event_type\":\"type-" + (i % 4)
            + "\",\"amount\":" + amount + ",\"event_time\":\"" + Instant.ofEpochMilli(eventTime(i)) + "\"}";
    }

    /** Spread over three hours, so the events land in three hour folders. */
    static long eventTime(int i) {
        return BASE + i * 9_000L;
    }

    /**
     * 1,200 events POSTed by four concurrent clients: 200 single objects, 20 arrays of 25 and 10 NDJSON bodies of
     * 50. Every request is answered 200; the topic then holds each event once, keyed by user; the sink lands them,
     * and the lake holds each event exactly once with its values and in the hour folder of its event time.
     */
    @Test
    void eventsPostedAsSinglesArraysAndNdjsonLandInTheLakeExactlyOnce() throws Exception {
        String topic = "it-http-events";
        stack.createTopic(topic, 3);
        int port = startConnector("it-http", topic, Map.of());
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.put("connector.class", PluginZipPipelineIT.SINK);
        sink.put("topics", topic);
        sink.put("flush.size", "500");
        sink.put("rotate.wallclock.interval.ms", "1000");
        stack.connect().putConfig("it-http-sink", sink);

        List<Body> bodies = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < 200; i++) {
            bodies.add(new Body("application/json", event(next++), 1));
        }
        for (int b = 0; b < 20; b++) {
            StringBuilder array = new StringBuilder("[");
            for (int i = 0; i < 25; i++) {
                array.append(i == 0 ? "" : ",\n").append(event(next++));
            }
            bodies.add(new Body("application/json", array.append("]").toString(), 25));
        }
        for (int b = 0; b < 10; b++) {
            StringBuilder nd = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                nd.append(event(next++)).append('\n');
            }
            bodies.add(new Body("application/x-ndjson", nd.toString(), 50));
        }
        int events = next;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Body c : bodies) {
                answers.add(clients.submit(() -> post(port, c.type, c.body).get(WAIT.toSeconds(), TimeUnit.SECONDS)));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
                assertEquals("{\"accepted\":" + bodies.get(i).events + "}\n", r.body());
            }
        } finally {
            clients.shutdownNow();
        }

        // Exactly-once: the connector's offsets count the events its committed transactions hold.
        long counted = 0;
        for (Map<String, Object> offset : stack.connect().sourceOffsets("it-http")) {
            counted += ((Number) offset.get("events")).longValue();
        }
        assertEquals(events, counted);

        JsonConverter converter = Topics.valueConverter();
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        Map<String, Struct> sent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            Struct value = (Struct) converter.toConnectData(topic, r.value()).value();
            assertEquals(null, sent.put(value.getString("event_id"), value), "event in the topic twice");
            assertEquals(value.getString("user_id"), keys.toConnectData(topic, r.key()).value());
            assertEquals(((java.util.Date) value.get("event_time")).getTime(), r.timestamp());
        }
        assertEquals(events, sent.size());

        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        PluginZipPipelineIT.await(120, "all events in the lake", () -> {
            assertNull(stack.connect().failure("it-http-sink"));
            LakeStats.Snapshot s = lake.snapshot();
            return s.rows() >= events && s.pendingFiles() == 0;
        });
        List<Map<String, Object>> rows = Lake.query(stack.bucketDir(), topic,
            "SELECT event_id, user_id, event_type, amount, epoch_ms(event_time) AS ms, year, month, day, hour FROM lake");
        assertEquals(events, rows.size(), "rows in the lake");
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("event_id");
            int i = Integer.parseInt(id.substring("ev-".length()));
            assertNotNull(sent.remove(id), "row landed twice, or was never sent: " + row);
            assertEquals("u-" + (i % 17), row.get("user_id"));
            assertEquals("type-" + (i % 4), row.get("event_type"));
            assertEquals(i % 3 == 0 ? null : new BigDecimal((i % 1000) + "." + String.format("%02d", i % 100)),
                row.get("amount"));
            assertEquals(eventTime(i), ((Number) row.get("ms")).longValue());
            ZonedDateTime t = Instant.ofEpochMilli(eventTime(i)).atZone(ZoneOffset.UTC);
            assertEquals(List.of((long) t.getYear(), (long) t.getMonthValue(), (long) t.getDayOfMonth(),
                (long) t.getHour()), List.of(asLong(row.get("year")), asLong(row.get("month")),
                asLong(row.get("day")), asLong(row.get("hour"))));
        }
        assertTrue(sent.isEmpty(), sent.size() + " events are missing from the lake");
        stack.connect().delete("it-http-sink");
        stack.connect().delete("it-http");
    }

    private record Body(String type, String body, int events) {
    }

    private static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong((String) o);
    }

    private static void assertNull(String failure) {
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    /** The signature header of a request to /events now: t=<unix seconds>,sha256=HMAC("<t>./events." + body). */
    static String sign(String secret, String body) throws Exception {
        long t = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + "./events.").getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Each bad request gets its status and a body saying nothing was stored; then one good request is answered 200.
     * The topic then holds exactly that one event: none of the bad requests stored anything.
     */
    @Test
    void everyBadRequestGetsItsStatusAndStoresNothing() throws Exception {
        String topic = "it-http-bad";
        stack.createTopic(topic, 1);
        int port = startConnector("it-http-bad", topic, Map.of("http.auth.bearer.token", "tok",
            "http.auth.hmac.secret", "key", "http.request.max.bytes", "2048"));
        String good = event(1);
        String[] auth = {"Authorization", "Bearer tok", "X-Eventlake-Signature", sign("key", good)};
        record Bad(String what, int status, String type, String body, String[] headers) {
        }
        String missing = event(2).replace(",\"event_type\":\"type-2\"", "");
        String wrongType = event(3).replace("\"u-3\"", "3");
        String unknown = event(4).replace("}", ",\"colour\":\"red\"}");
        String malformed = event(5) + "\n{\"event_id\": \"ev-6\",";
        String big = "[" + String.join(",", java.util.Collections.nCopies(30, event(7))) + "]";
        List<Bad> bad = List.of(
            new Bad("malformed NDJSON", 400, "application/x-ndjson", malformed, signed(malformed)),
            new Bad("missing field", 400, "application/json", missing, signed(missing)),
            new Bad("wrong type", 400, "application/json", wrongType, signed(wrongType)),
            new Bad("unknown field", 400, "application/json", unknown, signed(unknown)),
            new Bad("text/plain", 415, "text/plain", good, auth),
            new Bad("no token", 401, "application/json", good, new String[] {"X-Eventlake-Signature",
                sign("key", good)}),
            new Bad("wrong token", 403, "application/json", good, new String[] {"Authorization", "Bearer nope",
                "X-Eventlake-Signature", sign("key", good)}),
            new Bad("no signature", 401, "application/json", good, new String[] {"Authorization", "Bearer tok"}),
            new Bad("wrong signature", 403, "application/json", good, new String[] {"Authorization", "Bearer tok",
                "X-Eventlake-Signature", sign("other", good)}),
            new Bad("too large", 413, "application/json", big, signed(big)));
        for (Bad b : bad) {
            HttpResponse<String> r = post(port, b.type, b.body, b.headers).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(b.status, r.statusCode(), b.what + ": " + r.body());
            assertTrue(r.body().contains("\"stored\":\"none\""), b.what + ": " + r.body());
        }
        HttpResponse<String> ok = post(port, "application/json", good, auth).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode(), ok.body());

        JsonConverter converter = Topics.valueConverter();
        // The acknowledged event is written; a read_committed reader sees it once its transaction commits.
        PluginZipPipelineIT.await(30, "the acknowledged event readable", () ->
            !Topics.readAll(stack.bootstrapServers(), topic).isEmpty());
        List<String> stored = Topics.readAll(stack.bootstrapServers(), topic).stream()
            .map(r -> ((Struct) converter.toConnectData(topic, r.value()).value()).getString("event_id")).toList();
        assertEquals(List.of("ev-1"), stored);
        stack.connect().delete("it-http-bad");
    }

    private static String[] signed(String body) throws Exception {
        return new String[] {"Authorization", "Bearer tok", "X-Eventlake-Signature", sign("key", body)};
    }

    /**
     * Sequence: (1) the connector writes to a topic that does not exist (the broker creates none), so the task's
     * producer blocks on the topic's metadata; (2) a request is POSTed, taken by poll() and handed to the producer:
     * the health endpoint shows it awaiting its acknowledgement; (3) the connector is DELETEd: Connect stops the task,
     * cancels it after its graceful timeout, and the blocked send fails; the task's stop() answers the request;
     * (4) the answer is not 2xx and says the outcome is unknown (or the connection drops); (5) the topic, created
     * afterwards, holds nothing.
     */
    @Test
    void aRequestAwaitingItsAcknowledgementWhenTheConnectorIsDeletedIsNeverAnswered2xx() throws Exception {
        String topic = "it-http-missing";
        int port = startConnector("it-http-deleted", topic, Map.of("http.ack.timeout.ms", "600000"));
        CompletableFuture<HttpResponse<String>> answer = post(port, "application/json", event(1));
        PluginZipPipelineIT.await(120, "the request handed to the producer",
            () -> healthBody(port).contains("\"awaiting_ack\":1"));
        assertFalse(answer.isDone(), "answered while its event cannot be written");
        stack.connect().delete("it-http-deleted");
        HttpResponse<String> response = answer.handle((r, e) -> r).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (response != null) {
            assertFalse(response.statusCode() / 100 == 2, "a false success: " + response.body());
            assertTrue(response.body().contains("\"stored\":\"unknown\""), response.body());
        }
        stack.createTopic(topic, 1);
        assertEquals(List.of(), Topics.readAll(stack.bootstrapServers(), topic));
    }

    /**
     * Sequence: (1) the topic accepts messages of at most 1,000 bytes; (2) a request with one event of about 1,500
     * bytes is POSTed and handed to the producer; (3) the broker rejects the batch, the transaction cannot commit,
     * and the task fails; its stop() answers the request; (4) the answer is an error, never 2xx; (5) the topic holds
     * nothing.
     */
    @Test
    void aRequestWhoseProducerFailsIsAnsweredWithAnError() throws Exception {
        String topic = "it-http-small";
        try (var admin = stack.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("max.message.bytes", "1000")))).all().get();
        }
        int port = startConnector("it-http-failing", topic, Map.of("http.ack.timeout.ms", "600000",
            "event.schema", SCHEMA + ", note:string"));
        String event = event(1).replace("}", ",\"note\":\"" + "x".repeat(1500) + "\"}");
        HttpResponse<String> response = post(port, "application/json", event).handle((r, e) -> r)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (response != null) {
            assertFalse(response.statusCode() / 100 == 2, "a false success: " + response.body());
            assertTrue(response.body().contains("\"stored\":\"unknown\""), response.body());
        }
        PluginZipPipelineIT.await(120, "the task to fail", () -> stack.connect().failure("it-http-failing") != null);
        assertEquals(List.of(), Topics.readAll(stack.bootstrapServers(), topic));
        stack.connect().delete("it-http-failing");
    }

    /**
     * Sequence: (1) the connector is paused, so Connect stops polling its task; (2) once the task has not been polled
     * for its stall limit, the health endpoint answers 503 and a POST is answered 503 with Retry-After; (3) the
     * connector is resumed and the same event is answered 200; (4) the topic holds it once.
     */
    @Test
    void aPausedConnectorRefusesRequestsWith503AndStoresNothing() throws Exception {
        String topic = "it-http-paused";
        stack.createTopic(topic, 1);
        int port = startConnector("it-http-paused", topic, Map.of());
        rest("PUT", "/connectors/it-http-paused/pause");
        PluginZipPipelineIT.await(120, "the paused task to refuse", () -> health(port) == 503);
        HttpResponse<String> refused = post(port, "application/json", event(1)).get(WAIT.toSeconds(),
            TimeUnit.SECONDS);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        rest("PUT", "/connectors/it-http-paused/resume");
        PluginZipPipelineIT.await(120, "the resumed task to serve", () -> health(port) == 200);
        HttpResponse<String> ok = post(port, "application/json", event(1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(1, Topics.readAll(stack.bootstrapServers(), topic).size());
        stack.connect().delete("it-http-paused");
    }

    private static void rest(String method, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(stack.connect().baseUrl() + path))
            .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
    }

    /** A free port whose next port is free too (at this moment); other processes may hold a port + 1. */
    private static int freePortWithFreeNext() throws Exception {
        for (int attempt = 0; ; attempt++) {
            int candidate = freePort();
            try (ServerSocket next = new ServerSocket(candidate + 1)) {
                return candidate;
            } catch (java.net.BindException taken) {
                if (attempt >= 50) {
                    throw taken;
                }
            }
        }
    }

    /**
     * Two tasks on one worker: task 0 listens on http.port and task 1 on http.port + 1; an event POSTed to each is
     * answered 200 and both are in the topic.
     */
    @Test
    void twoTasksListenOnConsecutivePorts() throws Exception {
        String topic = "it-http-two";
        stack.createTopic(topic, 1);
        int port = freePortWithFreeNext();
        startConnector("it-http-two", topic, Map.of("tasks.max", "2", "http.port", Integer.toString(port)));
        PluginZipPipelineIT.await(120, "task 1 to serve", () -> health(port + 1) == 200);
        HttpResponse<String> first = post(port, "application/json", event(1)).get(WAIT.toSeconds(),
            TimeUnit.SECONDS);
        HttpResponse<String> second = post(port + 1, "application/json", event(2)).get(WAIT.toSeconds(),
            TimeUnit.SECONDS);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        JsonConverter converter = Topics.valueConverter();
        assertEquals(java.util.Set.of("ev-1", "ev-2"), Topics.readAll(stack.bootstrapServers(), topic).stream()
            .map(r -> ((Struct) converter.toConnectData(topic, r.value()).value()).getString("event_id"))
            .collect(java.util.stream.Collectors.toSet()));
        stack.connect().delete("it-http-two");
    }

    @Test
    void theZipShipsTheConnectorItsConfigAndItsDocs() throws Exception {
        Path zip = ItStack.pluginZip();
        String top = "eventlake-kafka-connect-eventlake-" + System.getProperty("eventlake.version") + "/";
        List<String> entries;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            entries = z.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
        assertTrue(entries.contains(top + "etc/eventlake-http-ingest.json"), entries.toString());
        assertTrue(entries.contains(top + "doc/http-ingest.md"), entries.toString());
        assertTrue(stack.connect().pluginClasses().contains(HTTP));
    }
}
