package io.eventlake.bench.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.storage.Converter;

/**
 * The peer harness's Avro round ({@code benchmarks/peer/run-avro.sh}). The shared harness produces JSON with schemas;
 * this produces the same records (fields, values, keys and order of its {@code peer.Produce}, so the checksums match)
 * as Avro through Apicurio Registry's {@code AvroConverter}, the converter both sinks then read them with; serves the
 * registry those converters talk to ({@link ApicurioRegistryFake}: no registry server runs here); and runs the
 * plain-consumer baseline with that converter. The converter's jars come from the classpath (the
 * {@code test-runtimes/apicurio-converter} folder), not from this module's dependencies.
 * <pre>
 *   registry PORT                                     serves the registry on 127.0.0.1:PORT until killed
 *   produce BOOTSTRAP TOPIC N PARTITIONS REGISTRY_URL  prints "valueBytes+keyBytes=" as peer.Produce does
 *   baseline BOOTSTRAP TOPIC N REGISTRY_URL            prints the rate and "checksum=" as peer.BaselineConsume does
 * </pre>
 */
public final class AvroPeer {

    static final String CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";
    static final Schema SCHEMA = SchemaBuilder.struct().name("bench.event")
        .field("event_id", Schema.STRING_SCHEMA)
        .field("user_id", Schema.STRING_SCHEMA)
        .field("event_type", Schema.STRING_SCHEMA)
        .field("amount", Schema.FLOAT64_SCHEMA)
        .field("event_time", Timestamp.SCHEMA)
        .field("page_url", Schema.STRING_SCHEMA)
        .build();
    private static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase", "search", "login",
        "logout", "scroll"};
    private static final long BASE_TIME = 1_767_225_600_000L;

    private AvroPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "registry" -> {
                ApicurioRegistryFake registry = ApicurioRegistryFake.start(Integer.parseInt(args[1]));
                System.out.println("registry at " + registry.url());
                Thread.currentThread().join();
            }
            case "produce" -> produce(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]), args[5]);
            case "baseline" -> baseline(args[1], args[2], Long.parseLong(args[3]), args[4]);
            default -> throw new IllegalArgumentException("usage: registry PORT | produce BOOTSTRAP TOPIC N PARTITIONS "
                + "REGISTRY_URL | baseline BOOTSTRAP TOPIC N REGISTRY_URL");
        }
    }

    /** Apicurio's Avro converter for values, registering the schema on first use. */
    static Converter converter(String registryUrl) throws ReflectiveOperationException {
        Converter converter = (Converter) Class.forName(CONVERTER).getDeclaredConstructor().newInstance();
        converter.configure(Map.of("apicurio.registry.url", registryUrl, "apicurio.registry.auto-register", "true"),
            false);
        return converter;
    }

    /** Record {@code i} of the harness's stream; {@code amounts} must have drawn the amounts of records before it. */
    static Struct record(long i, Random amounts) {
        return new Struct(SCHEMA)
            .put("event_id", new UUID(0x5eed0000L + i, i * 0x9E3779B97F4A7C15L).toString())
            .put("user_id", user(i))
            .put("event_type", TYPES[(int) (i % TYPES.length)])
            .put("amount", Math.round(amounts.nextDouble() * 100_000) / 100.0)
            .put("event_time", new Date(BASE_TIME + i * 10))
            .put("page_url", "https://shop.example.com/products/" + (i % 5000) + "?ref=campaign-" + (i % 37));
    }

    static String user(long i) {
        return "user-" + (i * 7919 % 100_000);
    }

    private static void produce(String bootstrap, String topic, long n, int partitions, String registryUrl)
        throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
        }
        Converter converter = converter(registryUrl);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        Random amounts = new Random(42);
        long bytes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < n; i++) {
                RecordHeaders headers = new RecordHeaders();
                byte[] value = converter.fromConnectData(topic, headers, SCHEMA, record(i, amounts));
                byte[] key = user(i).getBytes(StandardCharsets.UTF_8);
                bytes += value.length + key.length;
                producer.send(new ProducerRecord<>(topic, null, key, value, headers));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "produced records=%d valueBytes+keyBytes=%d avgRecordBytes=%.1f seconds=%.2f "
            + "rec/s=%.0f (Avro, Apicurio's converter)%n", n, bytes, bytes / (double) n, seconds, n / seconds);
    }

    private static void baseline(String bootstrap, String topic, long expected, String registryUrl) throws Exception {
        Converter converter = converter(registryUrl);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long n = 0;
        long bytes = 0;
        double sum = 0;
        long t0 = System.nanoTime();
        long first = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (n < expected && System.nanoTime() - t0 < 600e9) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    Struct value = (Struct) converter.toConnectData(topic, r.headers(), r.value()).value();
                    sum += value.getFloat64("amount");
                    bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
                    n++;
                }
            }
        }
        long t1 = System.nanoTime();
        double fromSubscribe = (t1 - t0) / 1e9;
        double fromFirst = (t1 - first) / 1e9;
        System.out.printf(Locale.ROOT, "baseline records=%d bytes=%d seconds_from_subscribe=%.2f rec/s=%.0f MB/s=%.1f | "
            + "seconds_from_first_record=%.2f rec/s=%.0f MB/s=%.1f checksum=%.2f (Avro, Apicurio's converter)%n", n,
            bytes, fromSubscribe, n / fromSubscribe, bytes / 1e6 / fromSubscribe, fromFirst, n / fromFirst,
            bytes / 1e6 / fromFirst, sum);
    }
}
