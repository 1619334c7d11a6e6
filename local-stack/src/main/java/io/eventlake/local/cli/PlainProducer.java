package io.eventlake.local.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * The baseline of the source benches: a plain {@link KafkaProducer} with the settings the worker gives a source
 * task's producer ({@code acks=all}, {@code max.in.flight.requests.per.connection=1}; idempotence off, or
 * transactional with exactly-once support), sending records a connector wrote (read back and decoded before timing,
 * then cycled), each converted with the worker's converter (JSON with schemas) as it is sent.
 */
final class PlainProducer {

    /** A run's events per second of wall-clock time, and per second of this JVM's CPU time (broker included). */
    record Rate(double wall, double cpu) {
    }

    private final PrintStream out;
    private final EmbeddedStack stack;
    private final boolean transactional;
    private final Map<String, String> overrides;

    /**
     * @param transactional as the worker's producers with exactly-once source support
     * @param overrides settings on top of the worker's (the connectors get them as producer.override.*)
     */
    PlainProducer(PrintStream out, EmbeddedStack stack, boolean transactional, Map<String, String> overrides) {
        this.out = out;
        this.stack = stack;
        this.transactional = transactional;
        this.overrides = overrides;
    }

    /** What the worker sets on a source task's producer (Worker.baseProducerConfigs), idempotence aside. */
    static Map<String, String> workerSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(ProducerConfig.ACKS_CONFIG, "all");
        s.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return s;
    }

    String describe() {
        Map<String, String> shown = new LinkedHashMap<>(workerSettings());
        shown.putAll(overrides);
        return shown.toString();
    }

    /** Up to {@code max} committed records of a topic, decoded with the worker's converters. */
    List<SchemaAndValue[]> pool(String from, int max) {
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
            while (pool.size() < max && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    pool.add(new SchemaAndValue[] {keys.toConnectData(from, r.key()),
                        values.toConnectData(from, r.value())});
                }
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalStateException("could not read any record back from " + from);
        }
        return pool;
    }

    /**
     * Sends {@code events} records cycled from the pool; transactional producers commit every
     * {@code transactionEvents}.
     */
    Rate send(List<SchemaAndValue[]> pool, long events, String topic, int transactionEvents) throws Exception {
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.putAll(workerSettings());
        if (transactional) {
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-plain-producer-" + topic);
        } else {
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        }
        p.putAll(overrides);
        long t = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            if (transactional) {
                producer.initTransactions();
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            for (long i = 0; i < events; i++) {
                if (transactional && i % transactionEvents == 0) {
                    if (i > 0) {
                        producer.commitTransaction();
                    }
                    producer.beginTransaction();
                }
                SchemaAndValue[] d = pool.get((int) (i % pool.size()));
                byte[] key = keys.fromConnectData(topic, d[0].schema(), d[0].value());
                byte[] value = values.fromConnectData(topic, d[1].schema(), d[1].value());
                producer.send(new ProducerRecord<>(topic, null, t, key, value));
            }
            if (transactional) {
                producer.commitTransaction();
            } else {
                producer.flush();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            out.printf("  (plain producer + JsonConverter sent %,d records in %.1f s: %,.0f ev/s, %,.0f per "
                + "CPU-second)%n", events, seconds, events / seconds, events / cpu);
            return new Rate(events / seconds, events / cpu);
        }
    }

    /** CPU time of this JVM: the broker, the worker and the clients, not other programs on the machine. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), isKey);
        return c;
    }
}
