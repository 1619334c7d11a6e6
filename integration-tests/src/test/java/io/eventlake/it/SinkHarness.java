package io.eventlake.it;

import java.lang.management.ManagementFactory;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;

import io.eventlake.local.stack.EmbeddedStack;

/** What the sink ITs share: connector configs, waits, records of their own, and the sink's metrics over JMX. */
final class SinkHarness {

    static final String GENERATOR = "io.eventlake.connect.source.generator.EventGeneratorSourceConnector";
    static final String SINK = "io.eventlake.connect.sink.s3.S3ParquetSinkConnector";

    /** The value schema of {@link #produce}d records. */
    static final Schema EVENT = SchemaBuilder.struct().name("Event")
        .field("id", Schema.INT64_SCHEMA)
        .field("event_time", Timestamp.SCHEMA)
        .build();

    private SinkHarness() {
    }

    /**
     * The generator, exactly once, at {@code perSecond} (0: as fast as it can) until {@code events}. Event times
     * are simulated from a fixed start, 1,000 events a simulated second, none late: every event of a short run falls
     * in one hour, so each batch of the sink is one file, whose name (its first offset and the owner epoch) is known
     * when the test checks what S3 was sent.
     */
    static Map<String, String> generator(String topic, int events, int perSecond) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", GENERATOR);
        c.put("tasks.max", "1");
        c.put("topic", topic);
        c.put("events.per.second", Integer.toString(perSecond));
        c.put("max.events", Integer.toString(events));
        c.put("exactly.once.support", "required");
        c.put("event.time.mode", "simulated");
        c.put("simulated.start", "2026-01-01T10:00:00Z");
        c.put("simulated.events.per.second", "1000");
        c.put("late.events.share", "0");
        return c;
    }

    /**
     * The sink on {@code topic} through {@code endpoint}, with the Kafka metadata columns the audit reads, and short
     * S3 client retries and commit backoffs so that faults outlast the client's retries quickly.
     */
    static Map<String, String> sink(EmbeddedStack stack, String endpoint, String topic) {
        Map<String, String> c = new HashMap<>(stack.s3SinkSettings());
        c.put("connector.class", SINK);
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("s3.endpoint.url", endpoint);
        c.put("parquet.metadata.columns", "topic,partition,offset");
        c.put("flush.size", "1000");
        c.put("rotate.wallclock.interval.ms", "500");
        c.put("s3.retry.max.attempts", "3");
        c.put("s3.retry.backoff.ms", "20");
        c.put("s3.retry.backoff.max.ms", "100");
        c.put("s3.client.api.call.attempt.timeout.ms", "2000");
        c.put("commit.retry.backoff.ms", "200");
        c.put("commit.retry.backoff.max.ms", "1000");
        return c;
    }

    /** Events the generator has committed: the sum of its lanes' source offsets. */
    static long generated(EmbeddedStack stack, String generator) throws Exception {
        long steps = 0;
        for (Map<String, Object> offset : stack.connect().sourceOffsets(generator)) {
            if (offset != null && offset.get("step") instanceof Number n) {
                steps += n.longValue();
            }
        }
        return steps;
    }

    static void awaitGenerated(EmbeddedStack stack, String generator, long events) throws Exception {
        await(180, generator + " to emit " + events + " events", () -> {
            assertNoFailure(stack, generator);
            return generated(stack, generator) >= events;
        });
    }

    static void assertNoFailure(EmbeddedStack stack, String connector) throws Exception {
        String failure = stack.connect().failure(connector);
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    /** Polls the condition every 100 ms until it holds; fails after the deadline, which is generous on purpose. */
    static void await(int seconds, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Rows the sink's lake holds for the topic, from the Parquet footers. */
    static long rowsInLake(EmbeddedStack stack, String topic) throws Exception {
        return new io.eventlake.local.stack.LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/none")
            .snapshot().rows();
    }

    /**
     * A sum of one of a connector's plugin metrics (KIP-877, in this JVM's JMX) over the plugins that have it: its
     * tasks', e.g. {@code commit-failures-total}, or its transforms', e.g. {@code records-replayed-total}.
     */
    static double taskMetric(String connector, String metric) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        double sum = 0;
        for (ObjectName name : jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector
            + ",*"), null)) {
            for (javax.management.MBeanAttributeInfo attribute : jmx.getMBeanInfo(name).getAttributes()) {
                if (attribute.getName().equals(metric)) {
                    sum += ((Number) jmx.getAttribute(name, metric)).doubleValue();
                }
            }
        }
        return sum;
    }

    /**
     * Produces records of {@link #EVENT} (JSON with schema, as the worker's converter reads them), round-robin over
     * the partitions, until stopped; event times walk through one hour, so files are cut by the sink, not by hours.
     */
    static final class Producer implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final JsonConverter converter = new JsonConverter();
        private final String topic;
        private final int partitions;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        Producer(EmbeddedStack stack, String topic, int partitions) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            this.converter.configure(Map.of("schemas.enable", "true"), false);
            this.topic = topic;
            this.partitions = partitions;
        }

        /** Sends {@code count} records now and waits until they are acknowledged. */
        Producer send(int count) {
            for (int i = 0; i < count; i++) {
                sendOne();
            }
            producer.flush();
            return this;
        }

        /** Sends about {@code perSecond} records a second on a thread of its own until {@link #close()}. */
        Producer startFlow(int perSecond) {
            thread = new Thread(() -> {
                int batch = Math.max(1, perSecond / 10);
                while (running.get()) {
                    for (int i = 0; i < batch; i++) {
                        sendOne();
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "it-producer-" + topic);
            thread.setDaemon(true);
            thread.start();
            return this;
        }

        private void sendOne() {
            long id = sent.getAndIncrement();
            Struct value = new Struct(EVENT).put("id", id)
                .put("event_time", new Date(1_722_816_000_000L + (id % 3_600) * 1000L));
            producer.send(new ProducerRecord<>(topic, (int) (id % partitions), null,
                converter.fromConnectData(topic, EVENT, value)));
        }

        long sent() {
            return sent.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
            producer.flush();
            producer.close();
        }
    }
}
