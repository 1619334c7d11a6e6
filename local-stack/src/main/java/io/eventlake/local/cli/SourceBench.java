package io.eventlake.local.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * The source side of {@code eventlake bench}, on one stack: (1) one generator task emits N events of a scenario to a
 * fresh topic; (2) a plain {@link KafkaProducer} sends N records made from the generator's own (its first 20,000,
 * read back and decoded, then cycled), each converted with the worker's converters (JSON with schemas) as it is
 * sent: the limit any source on this broker can reach from one thread. Prints both rates and their ratio.
 */
final class SourceBench {

    private final PrintStream out;
    private final EmbeddedStack stack;
    private final boolean exactlyOnce;

    SourceBench(PrintStream out, EmbeddedStack stack, boolean exactlyOnce) {
        this.out = out;
        this.stack = stack;
        this.exactlyOnce = exactlyOnce;
    }

    /** Returns generator rate / plain producer rate. */
    double run(String scenario, long events, int partitions) throws Exception {
        String mode = exactlyOnce ? "eos" : "no-eos";
        String baselineTopic = "bench-producer-" + mode;
        String generatorTopic = "bench-generator-" + mode;
        stack.createTopic(baselineTopic, partitions);
        stack.createTopic(generatorTopic, partitions);

        double generator = generatorRate(scenario, events, partitions, generatorTopic);
        double producer = plainProducerRate(scenario, events, generatorTopic, baselineTopic);
        double ratio = generator / producer;
        out.printf("RESULT source (%s, %s): generator/plain-producer ratio %.2f  (generator %,.0f ev/s, producer "
            + "%,.0f ev/s, %,d events, %d partitions, 1 task)%n", exactlyOnce ? "exactly-once source on"
            : "exactly-once source off", scenario, ratio, generator, producer, events, partitions);
        return ratio;
    }

    private double plainProducerRate(String scenario, long events, String from, String topic) throws Exception {
        // The generator's records, decoded before timing: the baseline is the converter and the producer.
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        List<SchemaAndValue[]> pool = new ArrayList<>();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(from).stream()
                .map(i -> new TopicPartition(from, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (pool.size() < Math.min(20_000, events) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    pool.add(new SchemaAndValue[] {keys.toConnectData(from, r.key()),
                        values.toConnectData(from, r.value())});
                }
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalStateException("could not read the generator's records back from " + from);
        }
        long t = System.currentTimeMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        for (String kv : System.getProperty("bench.producer", "").split(",")) {
            if (kv.contains("=")) {
                p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                SchemaAndValue[] d = pool.get((int) (i % pool.size()));
                byte[] key = keys.fromConnectData(topic, d[0].schema(), d[0].value());
                byte[] value = values.fromConnectData(topic, d[1].schema(), d[1].value());
                producer.send(new ProducerRecord<>(topic, null, t, key, value));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("  (plain producer + JsonConverter sent %,d %s records in %.1f s)%n", events, scenario, seconds);
        return events / seconds;
    }

    private double generatorRate(String scenario, long events, int partitions, String topic) throws Exception {
        String name = "bench-source-" + (exactlyOnce ? "eos" : "no-eos");
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
        for (String kv : System.getProperty("bench.generator", "").split(",")) {
            if (kv.contains("=")) {
                generator.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        long t0 = System.nanoTime();
        stack.connect().putConfig(name, generator);
        long running = 0;
        while (written(topic, partitions, name) < events) {
            String failure = stack.connect().failure(name);
            if (failure != null) {
                throw new IllegalStateException("generator failed: " + failure);
            }
            if (running == 0 && stack.connect().isRunning(name, 1)) {
                running = System.nanoTime();
            }
            Thread.sleep(50);
        }
        long end = System.nanoTime();
        stack.connect().delete(name);
        double seconds = (end - t0) / 1e9;
        out.printf("  (generator wrote %,d events in %.1f s from PUT; %.1f s before its task was RUNNING, %,.0f ev/s "
            + "after)%n", events, seconds, (running - t0) / 1e9, events / ((end - running) / 1e9));
        return events / seconds;
    }

    /**
     * Events written so far: with exactly-once support, the connector's committed offsets (they commit in the same
     * transaction as the events); without, the topic's end offsets (no transaction markers then).
     */
    private long written(String topic, int partitions, String connector) throws Exception {
        if (exactlyOnce) {
            long steps = 0;
            for (Map<String, Object> offset : stack.connect().sourceOffsets(connector)) {
                if (offset != null && offset.get("step") instanceof Number n) {
                    steps += n.longValue();
                }
            }
            return steps;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = stack.admin().listOffsets(latest).all()
            .get();
        return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), isKey);
        return c;
    }
}
