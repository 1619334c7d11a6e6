package io.eventlake.local.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.SchemaAndValue;

import io.eventlake.local.cli.PlainProducer.Rate;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * The source side of {@code eventlake bench}, on one stack, in one worker mode (exactly-once source support on or
 * off): one generator task against a {@link PlainProducer} sending the generator's own records with the same
 * converter. The comparison is kept fair:
 * <ul>
 * <li>Both have the worker's producer settings; with exactly-once support the plain producer is transactional and
 * commits a transaction every {@code batch.size} events, as the worker commits one per poll.
 * {@code -Dbench.producer=k=v,...} changes both sides alike (the generator gets them as
 * {@code producer.override.*}); {@code -Dbench.generator=k=v,...} sets generator keys (e.g. batch.size).</li>
 * <li>The generator is timed from its first event to its last, so neither side pays for start-up, and its progress is
 * read without a consumer competing for the CPU. A warm-up run of the generator heats the JIT of the converter
 * classes both sides share.</li>
 * <li>The machines are shared and noisy: plain producer and generator runs alternate for several rounds, each
 * generator run is compared with the better of the plain runs around it, and the median ratio is the result, beside
 * the ratio of events per CPU-second of this JVM (broker included), which other programs on the machine do not
 * inflate.</li>
 * </ul>
 */
final class SourceBench {

    private static final int WARMUP_EVENTS = 20_000;

    private final PrintStream out;
    private final EmbeddedStack stack;
    private final boolean exactlyOnce;
    private final Map<String, String> producerSettings;
    private final Map<String, String> generatorSettings;
    private Admin admin;

    SourceBench(PrintStream out, EmbeddedStack stack, boolean exactlyOnce) {
        this.out = out;
        this.stack = stack;
        this.exactlyOnce = exactlyOnce;
        this.producerSettings = settings(System.getProperty("bench.producer", ""));
        this.generatorSettings = settings(System.getProperty("bench.generator", ""));
    }

    static Map<String, String> settings(String spec) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            if (kv.contains("=")) {
                s.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        return s;
    }

    /**
     * Runs {@code rounds} rounds of (plain producer, generator) and a last plain producer run.
     * @return the median wall-clock ratio generator / plain producer
     */
    double run(String scenario, long events, int partitions, int rounds) throws Exception {
        String mode = exactlyOnce ? "eos" : "no-eos";
        String warmupTopic = "bench-warmup-" + mode;
        String baselineTopic = "bench-producer-" + mode;
        stack.createTopic(warmupTopic, partitions);
        stack.createTopic(baselineTopic, partitions);
        PlainProducer producer = new PlainProducer(out, stack, exactlyOnce, producerSettings);

        int batch = Integer.parseInt(generatorSettings.getOrDefault("batch.size", "1000"));
        List<Rate> plain = new ArrayList<>();
        List<Rate> generated = new ArrayList<>();
        try (Admin a = stack.admin()) {
            admin = a;
            generatorRate(scenario, WARMUP_EVENTS, partitions, warmupTopic, "bench-warmup-" + mode);
            List<SchemaAndValue[]> pool = producer.pool(warmupTopic, WARMUP_EVENTS);
            for (int r = 0; r < rounds; r++) {
                plain.add(producer.send(pool, events, baselineTopic, batch));
                String topic = "bench-generator-" + mode + "-" + r;
                stack.createTopic(topic, partitions);
                generated.add(generatorRate(scenario, events, partitions, topic, "bench-source-" + mode + "-" + r));
            }
            plain.add(producer.send(pool, events, baselineTopic, batch));
        }
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            wall.add(generated.get(r).wall() / Math.max(plain.get(r).wall(), plain.get(r + 1).wall()));
            cpu.add(generated.get(r).cpu() / Math.max(plain.get(r).cpu(), plain.get(r + 1).cpu()));
        }
        double ratio = median(wall);
        out.printf("RESULT source (%s, %s): generator/plain-producer ratio %.2f wall-clock, %.2f per CPU-second "
            + "(medians of %d rounds; generator %s ev/s, plain producer %s ev/s; %,d events per run, %d partitions, "
            + "1 task, producers %s%s)%n", exactlyOnce ? "exactly-once source on" : "exactly-once source off",
            scenario, ratio, median(cpu), rounds, rates(generated), rates(plain), events, partitions,
            producer.describe(), exactlyOnce ? ", a transaction per " + batch + " events" : "");
        return ratio;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rates(List<Rate> rates) {
        return rates.stream().map(r -> String.format("%,.0f", r.wall())).toList().toString();
    }

    /**
     * Runs a generator to {@code events} and returns its rate from its first event to its last. Progress is read
     * cheaply: the topic's end offsets (the first event, and every event without exactly-once support), and with it
     * the connector's committed offsets twice a second (they commit with the events, while end offsets also count
     * transaction markers).
     */
    private Rate generatorRate(String scenario, long events, int partitions, String topic, String name)
        throws Exception {
        Map<String, String> generator = new HashMap<>();
        generator.put("connector.class", ConnectorConfigs.GENERATOR_CLASS);
        generator.put("tasks.max", "1");
        generator.put("scenario", scenario);
        generator.put("topic", topic);
        generator.put("fraud.reports.topic", "");
        generator.put("events.per.second", "0");
        generator.put("max.events", Long.toString(events));
        if (exactlyOnce) {
            generator.put("exactly.once.support", "required");
        }
        producerSettings.forEach((k, v) -> generator.put("producer.override." + k, v));
        generator.putAll(generatorSettings);
        long t0 = System.nanoTime();
        stack.connect().putConfig(name, generator);
        long first = 0;
        long cpu0 = 0;
        long lastCheck = 0;
        while (true) {
            long now = System.nanoTime();
            if (first == 0 && endOffsets(topic, partitions) > 0) {
                first = now;
                cpu0 = PlainProducer.processCpuNanos();
            }
            if (now - lastCheck >= (exactlyOnce ? 500_000_000L : 2_000_000_000L)) {
                lastCheck = now;
                String failure = stack.connect().failure(name);
                if (failure != null) {
                    throw new IllegalStateException("generator failed: " + failure);
                }
                if (exactlyOnce && committedSteps(name) >= events) {
                    break;
                }
            }
            if (!exactlyOnce && endOffsets(topic, partitions) >= events) {
                break;
            }
            Thread.sleep(20);
        }
        long end = System.nanoTime();
        double cpu = (PlainProducer.processCpuNanos() - cpu0) / 1e9;
        stack.connect().delete(name);
        double steady = events / ((end - first) / 1e9);
        out.printf("  (generator %s wrote %,d events: %.1f s from PUT, %.1f s from its first event: %,.0f ev/s, "
            + "%,.0f per CPU-second)%n", name, events, (end - t0) / 1e9, (end - first) / 1e9, steady, events / cpu);
        return new Rate(steady, events / cpu);
    }

    private long endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream()
            .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    private long committedSteps(String connector) throws Exception {
        long steps = 0;
        for (Map<String, Object> offset : stack.connect().sourceOffsets(connector)) {
            if (offset != null && offset.get("step") instanceof Number n) {
                steps += n.longValue();
            }
        }
        return steps;
    }
}
