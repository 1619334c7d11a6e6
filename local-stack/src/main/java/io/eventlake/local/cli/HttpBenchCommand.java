package io.eventlake.local.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.SchemaAndValue;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * {@code eventlake bench-http}: the HTTP ingest connector under a real load client. Starts the stack, runs the
 * connector (the schema of {@code config/eventlake-http-ingest.json}) and drives it with {@code wrk}: single events
 * from many connections, then batches of {@code --batch} events (NDJSON) from a few. Every answer wrk counts is an
 * acknowledgement: a 200 only comes once Kafka has the events (with exactly-once support, once their transaction
 * committed), so wrk's latency is the acknowledgement latency. Then a plain producer sends the same records with the
 * same converter and producer settings in the same run, and the stored events are counted against the acknowledged
 * ones. Not part of the build: it needs wrk ({@code apt-get install wrk}).
 */
final class HttpBenchCommand {

    static final Set<String> OPTIONS = Set.of("plugin-zip", "data", "duration", "batch", "single-connections",
        "batch-connections", "partitions", "exactly-once", "wrk", "slow-clients");

    private static final String TOPIC = "bench-http";
    private static final String CONNECTOR = "bench-http";
    private static final String SCHEMA = "event_id:string, user_id:string, event_type:string, "
        + "amount:decimal(12,2)?, event_time:timestamp, properties:map<string>?";
    private static final Pattern WRK_LINE = Pattern.compile("EVENTLAKE requests=(\\d+) duration_us=(\\d+) "
        + "non2xx=(\\d+) errors=(\\d+) p50_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)");

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpBenchCommand(PrintStream out) {
        this.out = out;
    }

    /** What wrk measured for one body shape. */
    private record Load(String name, int eventsPerRequest, int connections, long requests, double seconds,
                        long non2xx, long errors, double p50Ms, double p99Ms, double maxMs, double cpuSeconds) {
        long acknowledgedEvents() {
            return (requests - non2xx) * eventsPerRequest;
        }

        double eventsPerSecond() {
            return acknowledgedEvents() / seconds;
        }
    }

    /**
     * The mean time a request must take when each of the load's connections keeps one request in flight (wrk's
     * closed loop): events in flight over events acknowledged per second. A latency target below it needs a higher
     * rate or fewer connections, whatever the endpoint does.
     */
    static double littlesLawMs(int connections, int eventsPerRequest, double eventsPerSecond) {
        return eventsPerSecond <= 0 ? Double.NaN : 1000.0 * connections * eventsPerRequest / eventsPerSecond;
    }

    int run(Args args) throws Exception {
        int seconds = (int) args.getLong("duration", 20);
        int batch = (int) args.getLong("batch", 500);
        int singleConnections = (int) args.getLong("single-connections", 64);
        int batchConnections = (int) args.getLong("batch-connections", 8);
        int partitions = (int) args.getLong("partitions", 3);
        int slowClients = (int) args.getLong("slow-clients", 0);
        String wrk = args.get("wrk", "wrk");
        String exactlyOnce = args.get("exactly-once", "on");
        if (!Set.of("both", "on", "off").contains(exactlyOnce)) {
            throw new IllegalArgumentException("--exactly-once must be both, on or off, got '" + exactlyOnce + "'");
        }
        checkWrk(wrk);
        Path work = WorkDir.of(args, "eventlake-bench-http");
        Path zip = Launcher.pluginZip(args);
        for (boolean eos : new boolean[] {true, false}) {
            if (exactlyOnce.equals(eos ? "off" : "on")) {
                continue;
            }
            Path dir = work.resolve(eos ? "http-eos" : "http-no-eos");
            try (EmbeddedStack stack = EmbeddedStack.builder(dir.resolve("data"), dir.resolve("lake"))
                .pluginZip(zip).workerProperty("exactly.once.source.support", eos ? "enabled" : "disabled")
                .build().start()) {
                run(stack, dir, eos, wrk, seconds, batch, singleConnections, batchConnections, partitions,
                    slowClients);
            }
        }
        return 0;
    }

    private void run(EmbeddedStack stack, Path dir, boolean eos, String wrk, int seconds, int batch,
                     int singleConnections, int batchConnections, int partitions, int slowClients)
        throws Exception {
        String mode = eos ? "exactly-once source on" : "exactly-once source off";
        stack.createTopic(TOPIC, partitions);
        int port = freePort();
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", ConnectorConfigs.HTTP_CLASS);
        config.put("tasks.max", "1");
        config.put("http.port", Integer.toString(port));
        config.put("http.bind.address", "127.0.0.1");
        config.put("topic", TOPIC);
        config.put("event.schema", SCHEMA);
        config.put("event.key.field", "user_id");
        config.put("event.time.field", "event_time");
        if (eos) {
            config.put("exactly.once.support", "required");
        }
        // -Dbench.producer=k=v,... changes the connector's producer and the plain producer alike.
        Map<String, String> producerSettings = SourceBench.settings(System.getProperty("bench.producer", ""));
        producerSettings.forEach((k, v) -> config.put("producer.override." + k, v));
        SourceBench.settings(System.getProperty("bench.connector", "")).forEach(config::put);
        stack.connect().putConfig(CONNECTOR, config);
        awaitHealthy(stack, port);
        String url = "http://127.0.0.1:" + port + "/events";

        Path single = dir.resolve("single.lua");
        Files.writeString(single, singleScript());
        Path body = dir.resolve("batch.ndjson");
        Files.writeString(body, batchBody(batch));
        Path batched = dir.resolve("batch.lua");
        Files.writeString(batched, batchScript(body));

        wrk(wrk, batched, url, batchConnections, 5, "warm-up", batch);
        Load singles = wrk(wrk, single, url, singleConnections, seconds, "single events", 1);
        Load batches = wrk(wrk, batched, url, batchConnections, seconds, "batches of " + batch, batch);
        List<Load> loads = new ArrayList<>(List.of(singles, batches));
        if (slowClients > 0) {
            loads.addAll(underSlowClients(port, wrk, single, batched, url, seconds, batch, singleConnections,
                batchConnections, slowClients, singles, batches));
        }
        long acknowledged = 0;
        for (Load l : loads) {
            acknowledged += l.acknowledgedEvents();
        }
        long stored = storedEvents(stack, eos);

        stack.createTopic(TOPIC + "-plain", partitions);
        PlainProducer producer = new PlainProducer(out, stack, eos, producerSettings);
        List<SchemaAndValue[]> pool = producer.pool(TOPIC, 20_000);
        long events = Math.max(50_000, Math.min(1_000_000, batches.acknowledgedEvents()));
        PlainProducer.Rate plain = producer.send(pool, events, TOPIC + "-plain", batch);

        for (Load l : List.of(singles, batches)) {
            out.printf("RESULT http (%s) %s: %,.0f events/s acknowledged, ack latency p50 %.1f ms, p99 %.1f ms, max "
                + "%.1f ms (%d connections, %,d requests in %.1f s, %,d non-2xx, %,d socket errors, %,.0f events per "
                + "CPU-second of the stack's JVM; mean latency by Little's law, the connections' events in flight "
                + "over this rate: %.1f ms)%n", mode, l.name(), l.eventsPerSecond(), l.p50Ms(), l.p99Ms(),
                l.maxMs(), l.connections(), l.requests(), l.seconds(), l.non2xx(), l.errors(),
                l.acknowledgedEvents() / l.cpuSeconds(),
                littlesLawMs(l.connections(), l.eventsPerRequest(), l.eventsPerSecond()));
        }
        out.printf("RESULT http (%s) plain producer, same records, converter and producer settings %s: %,.0f ev/s, "
            + "%,.0f per CPU-second; batches/plain-producer ratio %.2f%n", mode, producer.describe()
            + (eos ? ", a transaction per " + batch + " events" : ""), plain.wall(), plain.cpu(),
            batches.eventsPerSecond() / plain.wall());
        out.printf("RESULT http (%s) stored events %s %,d acknowledged ones (%s)%n", mode,
            stored >= acknowledged ? ">=" : "< !!", acknowledged, eos ? stored + " in the connector's committed "
                + "offsets; requests wrk abandoned at its end may be stored without an answer"
                : "not counted without exactly-once support");
        stack.connect().delete(CONNECTOR);
    }

    /**
     * The same loads again while {@code count} slow-loris clients hold connections open; the health path is sampled
     * meanwhile for the buffer's bytes and the requests being read. Prints each load's throughput as a ratio of the
     * same load without them, measured just before in the same run.
     */
    private List<Load> underSlowClients(int port, String wrk, Path single, Path batched, String url, int seconds,
                                        int batch, int singleConnections, int batchConnections, int count,
                                        Load singlesAlone, Load batchesAlone) throws Exception {
        HealthSampler health = new HealthSampler(URI.create("http://127.0.0.1:" + port + "/health"));
        Load singles;
        Load batches;
        long reconnects;
        try (SlowClients slow = new SlowClients(new InetSocketAddress("127.0.0.1", port), "/events", count,
            10 * 1024 * 1024).start()) {
            health.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (health.maxReading() < count && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            singles = wrk(wrk, single, url, singleConnections, seconds, "single events, " + count + " slow clients",
                1);
            batches = wrk(wrk, batched, url, batchConnections, seconds, "batches of " + batch + ", " + count
                + " slow clients", batch);
            reconnects = slow.reconnects();
        } finally {
            health.close();
        }
        for (Load[] pair : new Load[][] {{singlesAlone, singles}, {batchesAlone, batches}}) {
            out.printf("RESULT http slow clients: %s: %,.0f events/s with %d slow clients vs %,.0f without (ratio "
                + "%.2f), p99 %.1f ms vs %.1f ms, %,d non-2xx, %,d socket errors%n", pair[0].name(),
                pair[1].eventsPerSecond(), count, pair[0].eventsPerSecond(),
                pair[1].eventsPerSecond() / pair[0].eventsPerSecond(), pair[1].p99Ms(), pair[0].p99Ms(),
                pair[1].non2xx(), pair[1].errors());
        }
        out.printf("RESULT http slow clients: health sampled %d times: buffer at most %,d of %,d bytes, at most %d "
            + "requests being read; %,d cut at the read deadline, %,d connections refused, %,d slow connections "
            + "closed by the server and reopened, %d samples unanswered%n", health.samples(), health.maxBuffered(),
            health.bufferMax(), health.maxReading(), health.last("cut_requests"), health.last("refused_connections"),
            reconnects, health.failures());
        return List.of(singles, batches);
    }

    /** Polls the health path every 200 ms and keeps the largest buffer and read counts it saw. */
    private final class HealthSampler extends Thread implements AutoCloseable {
        private final URI uri;
        private volatile boolean running = true;
        private volatile long maxBuffered;
        private volatile long bufferMax;
        private volatile long maxReading;
        private volatile int samples;
        private volatile int failures;
        private volatile String lastBody = "";

        HealthSampler(URI uri) {
            super("bench-health-sampler");
            setDaemon(true);
            this.uri = uri;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    String body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                    maxBuffered = Math.max(maxBuffered, field(body, "buffered_bytes"));
                    bufferMax = field(body, "buffer_max_bytes");
                    maxReading = Math.max(maxReading, field(body, "reading_requests"));
                    lastBody = body;
                    samples++;
                    Thread.sleep(200);
                } catch (IOException e) {
                    failures++;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long maxBuffered() {
            return maxBuffered;
        }

        long bufferMax() {
            return bufferMax;
        }

        long maxReading() {
            return maxReading;
        }

        int samples() {
            return samples;
        }

        int failures() {
            return failures;
        }

        long last(String name) {
            return field(lastBody, name);
        }

        private static long field(String json, String name) {
            Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            interrupt();
            join();
        }
    }

    /** Events handed over and committed, by the connector's offsets (exact with exactly-once support). */
    private static long storedEvents(EmbeddedStack stack, boolean eos) throws Exception {
        if (!eos) {
            return -1;
        }
        long stored = 0;
        for (Map<String, Object> offset : stack.connect().sourceOffsets(CONNECTOR)) {
            if (offset != null && offset.get("events") instanceof Number n) {
                stored += n.longValue();
            }
        }
        return stored;
    }

    private Load wrk(String wrk, Path script, String url, int connections, int seconds, String name,
                     int eventsPerRequest) throws Exception {
        List<String> command = new ArrayList<>(List.of(wrk, "-t1", "-c" + connections, "-d" + seconds + "s",
            "--timeout", "60s", "-s", script.toString(), url));
        long cpu0 = PlainProducer.processCpuNanos();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        double cpu = (PlainProducer.processCpuNanos() - cpu0) / 1e9;
        Matcher m = WRK_LINE.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no summary in wrk's output:\n" + output);
        }
        Load load = new Load(name, eventsPerRequest, connections, Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
            Long.parseLong(m.group(5)) / 1000.0, Long.parseLong(m.group(6)) / 1000.0,
            Long.parseLong(m.group(7)) / 1000.0, cpu);
        out.printf("  (wrk %s: %,d requests in %.1f s, %,d non-2xx, p50 %.1f ms, p99 %.1f ms)%n", name,
            load.requests(), load.seconds(), load.non2xx(), load.p50Ms(), load.p99Ms());
        return load;
    }

    /** One event per request, each with its own id and one of 1,000 users. */
    private static String singleScript() {
        return String.join("\n",
            "wrk.method = \"POST\"",
            "wrk.headers[\"Content-Type\"] = \"application/json\"",
            "local n = 0",
            "request = function()",
            "  n = n + 1",
            "  local body = '{\"event_id\":\"s-' .. n .. '\",\"user_id\":\"u-' .. (n % 1000) .. '\",'",
            "    .. '\"event_type\":\"page_view\",\"amount\":\"19.99\",\"event_time\":\"2026-11-24T15:04:05Z\"}'",
            "  return wrk.format(nil, nil, nil, body)",
            "end",
            doneFunction());
    }

    private static String batchScript(Path body) {
        return String.join("\n",
            "local f = io.open(\"" + body.toAbsolutePath().toString().replace("\\", "\\\\") + "\", \"rb\")",
            "wrk.method = \"POST\"",
            "wrk.body = f:read(\"*all\")",
            "f:close()",
            "wrk.headers[\"Content-Type\"] = \"application/x-ndjson\"",
            doneFunction());
    }

    private static String doneFunction() {
        return String.join("\n",
            "done = function(summary, latency, requests)",
            "  local e = summary.errors",
            "  io.write(string.format(\"EVENTLAKE requests=%d duration_us=%d non2xx=%d errors=%d p50_us=%d p99_us=%d "
                + "max_us=%d\\n\",",
            "    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,",
            "    latency:percentile(50), latency:percentile(99), latency.max))",
            "end",
            "");
    }

    /** {@code events} distinct events of 500 users, one per line, about 150 bytes each. */
    private static String batchBody(int events) {
        StringBuilder b = new StringBuilder();
        Instant t = Instant.parse("2026-11-24T15:00:00Z");
        String[] types = {"page_view", "add_to_cart", "purchase", "payment"};
        for (int i = 0; i < events; i++) {
            b.append("{\"event_id\":\"b-").append(i).append("\",\"user_id\":\"u-").append(i % 500)
                .append("\",\"event_type\":\"").append(types[i % 4]).append("\",\"amount\":")
                .append(i % 4 == 0 ? "null" : "\"" + (i % 200) + ".99\"").append(",\"event_time\":\"")
                .append(t.plusMillis(i * 250L)).append("\"}\n");
        }
        return b.toString();
    }

    private void awaitHealthy(EmbeddedStack stack, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            String failure = stack.connect().failure(CONNECTOR);
            if (failure != null) {
                throw new IllegalStateException("the HTTP connector failed: " + failure);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the HTTP connector did not serve within 120 s");
            }
            Thread.sleep(200);
        }
    }

    private static void checkWrk(String wrk) {
        try {
            Process p = new ProcessBuilder(wrk, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalArgumentException("cannot run the load client '" + wrk + "' (" + e.getMessage()
                + "); install it (Debian: apt-get install wrk) or pass --wrk PATH");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
