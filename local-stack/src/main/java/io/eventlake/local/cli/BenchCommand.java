package io.eventlake.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;

/**
 * {@code eventlake bench}: the end-to-end bench. Fills a topic with the generator, then measures in the same run
 * (1) a plain consumer reading the topic and converting each record with the worker's converter, the limit any
 * sink on this worker can reach, and (2) the S3 Parquet sink landing the same topic in the lake. Prints both
 * rates and their ratio; the machines are shared and noisy, so only the ratio is comparable between runs.
 */
final class BenchCommand {

    static final Set<String> OPTIONS = Set.of("events", "partitions", "flush-size", "plugin-zip", "data", "part",
        "scenario", "exactly-once", "rounds");

    private static final String TOPIC = "bench";

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    int run(Args args) throws Exception {
        long events = args.getLong("events", 1_000_000);
        int partitions = (int) args.getLong("partitions", 3);
        long flushSize = args.getLong("flush-size", 100_000);
        String part = args.get("part", "all");
        String scenario = args.get("scenario", "cart");
        if (!Set.of("all", "source", "sink").contains(part)) {
            throw new IllegalArgumentException("--part must be all, source or sink, got '" + part + "'");
        }
        String exactlyOnce = args.get("exactly-once", "both");
        if (!Set.of("both", "on", "off").contains(exactlyOnce)) {
            throw new IllegalArgumentException("--exactly-once must be both, on or off, got '" + exactlyOnce + "'");
        }
        Path work = WorkDir.of(args, "eventlake-bench");
        Path zip = Launcher.pluginZip(args);

        if (!part.equals("sink")) {
            for (boolean eos : new boolean[] {true, false}) {
                if (exactlyOnce.equals(eos ? "off" : "on")) {
                    continue;
                }
                Path dir = work.resolve(eos ? "source-eos" : "source-no-eos");
                try (EmbeddedStack stack = EmbeddedStack.builder(dir.resolve("data"), dir.resolve("lake"))
                    .pluginZip(zip).workerProperty("exactly.once.source.support", eos ? "enabled" : "disabled")
                    .build().start()) {
                    new SourceBench(out, stack, eos).run(scenario, events, partitions,
                        (int) Math.max(1, args.getLong("rounds", 3)));
                }
            }
        }
        if (part.equals("source")) {
            return 0;
        }
        try (EmbeddedStack stack = EmbeddedStack.builder(work.resolve("data"), work.resolve("lake"))
            .pluginZip(zip).build().start()) {
            out.printf("stack started in %,d ms%n", stack.startMillis());
            stack.createTopic(TOPIC, partitions);

            long t0 = System.nanoTime();
            Map<String, String> generator = new HashMap<>();
            generator.put("connector.class", ConnectorConfigs.GENERATOR_CLASS);
            generator.put("tasks.max", Integer.toString(partitions));
            generator.put("topic", TOPIC);
            generator.put("events.per.second", "0");
            generator.put("max.events", Long.toString(events));
            generator.put("scenario", scenario);
            generator.put("fraud.reports.topic", "");
            stack.connect().putConfig("bench-generator", generator);
            Pipeline fill = new Pipeline(stack.connect(), List.of("bench-generator"), List.of("bench-generator"),
                Set.of(TOPIC), Set.of(), new LakeStats(stack.bucketDir(), "topics", "_eventlake/checkpoints"), out);
            while (fill.produced().events() < events) {
                failIfFailed(fill);
                Thread.sleep(100);
            }
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            stack.connect().delete("bench-generator");
            out.printf("generator: %,d events in %.1f s = %,.0f events/s (fills the topic; not the measure)%n",
                events, fillSeconds, events / fillSeconds);

            double consumer1 = plainConsumerRate(stack, events, "bench-baseline-1");
            double sink = sinkRate(stack, events, flushSize);
            double consumer2 = plainConsumerRate(stack, events, "bench-baseline-2");
            double baseline = Math.max(consumer1, consumer2);
            out.printf("plain consumer + JsonConverter: %,.0f and %,.0f events/s (best of two runs, before and "
                + "after the sink: %,.0f)%n", consumer1, consumer2, baseline);
            out.printf("S3 Parquet sink (1 task, flush.size %,d): %,.0f events/s%n", flushSize, sink);
            out.printf("RESULT sink/plain-consumer ratio: %.2f  (sink %,.0f ev/s, consumer %,.0f ev/s, %,d events,"
                + " %d partitions)%n", sink / baseline, sink, baseline, events, partitions);
        }
        return 0;
    }

    /** Reads the whole topic once, as the sink's consumer would: read_committed, converted to Connect data. */
    private double plainConsumerRate(EmbeddedStack stack, long events, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        long seen = 0;
        long checksum = 0;
        long t0 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (seen < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    SchemaAndValue value = converter.toConnectData(record.topic(), record.headers(), record.value());
                    checksum += value.value().hashCode();
                    seen++;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("  (consumer %s read %,d records in %.1f s, checksum %x)%n", group, seen, seconds, checksum);
        return seen / seconds;
    }

    private double sinkRate(EmbeddedStack stack, long events, long flushSize) throws Exception {
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.put("connector.class", ConnectorConfigs.SINK_CLASS);
        sink.put("tasks.max", "1");
        sink.put("topics", TOPIC);
        sink.put("flush.size", Long.toString(flushSize));
        sink.put("rotate.wallclock.interval.ms", "2000");
        sink.put("consumer.override.max.poll.records", "2000");
        LakeStats lake = new LakeStats(stack.bucketDir(), "topics", "_eventlake/checkpoints");
        long t0 = System.nanoTime();
        stack.connect().putConfig("bench-sink", sink);
        Pipeline pipeline = new Pipeline(stack.connect(), List.of(), List.of("bench-sink"), Set.of(TOPIC), Set.of(),
            lake, out);
        long running = 0;
        LakeStats.Snapshot snapshot = lake.snapshot();
        while (snapshot.rows() < events || snapshot.pendingFiles() > 0) {
            failIfFailed(pipeline);
            if (running == 0 && stack.connect().isRunning("bench-sink", 1)) {
                running = System.nanoTime();
            }
            Thread.sleep(50);
            snapshot = lake.snapshot();
        }
        long end = System.nanoTime();
        double seconds = (end - t0) / 1e9;
        out.printf("  (sink landed %,d rows in %,d files in %.1f s from PUT to the last commit; %.1f s of it before "
            + "its task was RUNNING, %,.0f events/s after)%n", snapshot.rows(), snapshot.files(), seconds,
            (running - t0) / 1e9, snapshot.rows() / ((end - running) / 1e9));
        stack.connect().delete("bench-sink");
        return snapshot.rows() / seconds;
    }

    private static void failIfFailed(Pipeline pipeline) throws Exception {
        String failure = pipeline.failure();
        if (failure != null) {
            throw new IllegalStateException("connector failed: " + failure);
        }
    }
}
