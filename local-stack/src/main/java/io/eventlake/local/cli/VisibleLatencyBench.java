package io.eventlake.local.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * {@code eventlake bench-visible}: how long a record takes from its producer to a reader of the Iceberg table. A
 * producer sends records at a steady rate; the table-mode sink (the plugin from its zip, REST catalog) commits every
 * {@code rotate.wallclock.interval.ms}; a reader loads the table every 50 ms and, from each new snapshot's recorded
 * offsets ({@code eventlake.offsets.<connector>}), learns which records became visible then. A record's latency is
 * the time from its send to the reader's first sight of a snapshot that holds it; the bound the sink aims at is the
 * interval plus 2 s (a record that arrives just after a batch started waits a whole interval, then its upload and
 * commit).
 */
final class VisibleLatencyBench {

    static final Set<String> OPTIONS = Set.of("seconds", "rate", "interval-ms", "partitions", "plugin-zip", "data",
        "warmup-seconds");

    private static final String TOPIC = "visible";
    private static final String SINK = "visible-sink";
    private static final Schema SCHEMA = SchemaBuilder.struct().name("Visible")
        .field("id", Schema.INT64_SCHEMA)
        .field("event_time", Timestamp.SCHEMA)
        .field("payload", Schema.STRING_SCHEMA)
        .build();

    private final PrintStream out;

    VisibleLatencyBench(PrintStream out) {
        this.out = out;
    }

    int run(Args args) throws Exception {
        int seconds = (int) args.getLong("seconds", 60);
        int rate = (int) args.getLong("rate", 2000);
        long interval = args.getLong("interval-ms", 5000);
        int partitions = (int) args.getLong("partitions", 3);
        int warmup = (int) args.getLong("warmup-seconds", 10);
        Path work = WorkDir.of(args, "eventlake-visible");
        Path zip = Launcher.pluginZip(args);
        try (EmbeddedStack stack = EmbeddedStack.builder(work.resolve("data"), work.resolve("lake")).pluginZip(zip)
            .build().start()) {
            stack.createTopic(TOPIC, partitions);
            Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
            sink.put("connector.class", ConnectorConfigs.SINK_CLASS);
            sink.put("tasks.max", "1");
            sink.put("topics", TOPIC);
            sink.put("table.format", "iceberg");
            sink.put("iceberg.catalog.type", "rest");
            sink.put("iceberg.catalog.uri", stack.catalog().uri());
            sink.put("timestamp.field", "event_time");
            sink.put("partition.time.granularity", "hour");
            sink.put("flush.size", "10000000");
            sink.put("rotate.wallclock.interval.ms", Long.toString(interval));
            stack.connect().putConfig(SINK, sink);
            while (!stack.connect().isRunning(SINK, 1)) {
                Thread.sleep(100);
            }
            Catalog catalog = stack.catalog().catalog();
            TableIdentifier id = TableIdentifier.of("eventlake", TOPIC);
            Sends sends = new Sends(partitions);
            Visibility visibility = new Visibility(partitions, "eventlake.offsets." + SINK);
            Thread reader = new Thread(() -> visibility.follow(catalog, id), "visible-reader");
            reader.setDaemon(true);
            reader.start();
            produce(stack, rate, seconds, sends);
            long deadline = System.currentTimeMillis() + interval + 60_000;
            while (!visibility.covers(sends) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            visibility.stop();
            reader.join(5000);
            report(sends, visibility, interval, rate, seconds, warmup, partitions);
        }
        return 0;
    }

    private void produce(EmbeddedStack stack, int rate, int seconds, Sends sends) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        String payload = "x".repeat(100);
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (long n = 0; n < total; n++) {
                long due = start + n * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long sentMs = System.currentTimeMillis();
                Struct value = new Struct(SCHEMA).put("id", n).put("event_time", new Date(sentMs))
                    .put("payload", payload);
                byte[] bytes = converter.fromConnectData(TOPIC, SCHEMA, value);
                producer.send(new ProducerRecord<>(TOPIC, (int) (n % sends.partitions()), sentMs, null, bytes),
                    (meta, e) -> {
                        if (e == null) {
                            sends.record(meta.partition(), meta.offset(), sentMs);
                        }
                    });
            }
            producer.flush();
        }
        out.printf(Locale.ROOT, "produced %,d records in %.1f s%n", sends.count(), (System.nanoTime() - start) / 1e9);
    }

    private void report(Sends sends, Visibility visibility, long interval, int rate, int seconds, int warmup,
                        int partitions) {
        long firstSent = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            if (sends.size(p) > 0) {
                firstSent = Math.min(firstSent, sends.sentAt(p, 0));
            }
        }
        long from = firstSent + warmup * 1000L;
        List<Long> latencies = new ArrayList<>();
        long invisible = 0;
        for (int p = 0; p < partitions; p++) {
            for (int o = 0; o < sends.size(p); o++) {
                long sent = sends.sentAt(p, o);
                if (sent < from) {
                    continue;
                }
                long seen = visibility.seenAt(p, o);
                if (seen < 0) {
                    invisible++;
                } else {
                    latencies.add(seen - sent);
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            out.println("RESULT no record became visible");
            return;
        }
        long bound = interval + 2000;
        out.printf(Locale.ROOT, "table-mode sink, rotate.wallclock.interval.ms %,d, %,d records/s for %d s over %d "
            + "partitions, %d s of warm-up left out, %,d snapshots seen; reader: %s%n", interval, rate, seconds,
            partitions, warmup, visibility.snapshots(), visibility.failures());
        out.printf(Locale.ROOT, "produce-to-visible latency of %,d records: p50 %,d ms, p90 %,d ms, p99 %,d ms, max %,d "
            + "ms (%,d never visible)%n", sorted.length, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
            sorted[sorted.length - 1], invisible);
        out.printf(Locale.ROOT, "RESULT max/(interval + 2 s): %.2f  (max %,d ms, bound %,d ms; %s)%n",
            sorted[sorted.length - 1] / (double) bound, sorted[sorted.length - 1], bound,
            sorted[sorted.length - 1] <= bound && invisible == 0 ? "within" : "NOT within");
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** When each (partition, offset) was sent, by the producer's acknowledgement. */
    private static final class Sends {
        private final long[][] sentAt;
        private final int[] sizes;
        private final AtomicLong count = new AtomicLong();

        Sends(int partitions) {
            sentAt = new long[partitions][1024];
            sizes = new int[partitions];
        }

        int partitions() {
            return sizes.length;
        }

        synchronized void record(int partition, long offset, long sentMs) {
            int o = (int) offset;
            if (o >= sentAt[partition].length) {
                sentAt[partition] = Arrays.copyOf(sentAt[partition], Math.max(o + 1, sentAt[partition].length * 2));
            }
            sentAt[partition][o] = sentMs;
            sizes[partition] = Math.max(sizes[partition], o + 1);
            count.incrementAndGet();
        }

        synchronized int size(int partition) {
            return sizes[partition];
        }

        synchronized long sentAt(int partition, int offset) {
            return sentAt[partition][offset];
        }

        long count() {
            return count.get();
        }
    }

    /** What a reader of the table sees: for each partition, from when each offset is visible. */
    private static final class Visibility {
        private final String key;
        private final List<List<long[]>> steps = new ArrayList<>();
        private final long[] next;
        private final Set<Long> seen = new HashSet<>();
        /** Table loads that failed (retried 50 ms later), and the last failure, printed with the result. */
        private final AtomicLong failedLoads = new AtomicLong();
        private volatile String lastFailure = "";
        private final ObjectMapper json = new ObjectMapper();
        private volatile boolean stopped;

        Visibility(int partitions, String key) {
            this.key = key;
            this.next = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                steps.add(new ArrayList<>());
            }
        }

        void follow(Catalog catalog, TableIdentifier id) {
            while (!stopped) {
                try {
                    if (catalog.tableExists(id)) {
                        look(catalog.loadTable(id));
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    failedLoads.incrementAndGet();
                    lastFailure = e.toString();
                }
            }
        }

        private synchronized void look(Table table) {
            long now = System.currentTimeMillis();
            for (Snapshot s : table.snapshots()) {
                if (!seen.add(s.snapshotId())) {
                    continue;
                }
                String offsets = s.summary().get(key);
                if (offsets == null) {
                    continue;
                }
                try {
                    JsonNode node = json.readTree(offsets.getBytes(StandardCharsets.UTF_8));
                    node.fields().forEachRemaining(e -> {
                        int p = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('-') + 1));
                        long n = e.getValue().asLong();
                        if (p < next.length && n > next[p]) {
                            steps.get(p).add(new long[] {n, now});
                            next[p] = n;
                        }
                    });
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        synchronized boolean covers(Sends sends) {
            for (int p = 0; p < next.length; p++) {
                if (next[p] < sends.size(p)) {
                    return false;
                }
            }
            return true;
        }

        /** When the reader first saw the offset in the table; -1 if never. */
        synchronized long seenAt(int partition, long offset) {
            for (long[] step : steps.get(partition)) {
                if (offset < step[0]) {
                    return step[1];
                }
            }
            return -1;
        }

        synchronized int snapshots() {
            return seen.size();
        }

        /** "no failed table loads", or how many failed and the last failure. */
        String failures() {
            long n = failedLoads.get();
            return n == 0 ? "no failed table loads" : n + " table loads failed (retried), the last: " + lastFailure;
        }

        void stop() {
            stopped = true;
        }
    }
}
