package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stack clears before its worker starts again after a crash, and what it leaves alone. */
class DeadWorkerTransactionsTest {

    private static final String GROUP = "eventlake-local";
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private Admin admin;
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        int[] ports = StackPorts.freePorts(2);
        kafka = new EmbeddedKafka(dir.resolve("kafka"), ports[0], ports[1],
            Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
        kafka.start();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        admin = Admin.create(p);
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopBroker() throws Exception {
        producers.forEach(p -> p.close(Duration.ZERO));
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * A dead worker's transaction is aborted; another application's open transaction is not touched.
     * <ol>
     *   <li>A producer with the worker group's transactional id {@code eventlake-local-gen-0} (a source task of the
     *       stack's worker) begins a transaction and writes {@code dead} to the topic, then never finishes it (the
     *       worker was killed).</li>
     *   <li>A producer of another application ({@code other-app-0}) begins a transaction and writes
     *       {@code foreign}, still open.</li>
     *   <li>The stack runs the clean-up before its worker starts.</li>
     *   <li>The dead worker's producer is fenced: its commit fails, and its record is never visible read_committed.
     *       </li>
     *   <li>The other application's transaction is still ongoing; it commits, and {@code foreign} is visible.</li>
     * </ol>
     */
    @Test
    void abortsOnlyTheStackWorkersTransactions() throws Exception {
        KafkaProducer<String, String> dead = transactional(GROUP + "-gen-0");
        dead.beginTransaction();
        dead.send(new ProducerRecord<>(TOPIC, "k", "dead")).get();
        KafkaProducer<String, String> other = transactional("other-app-0");
        other.beginTransaction();
        other.send(new ProducerRecord<>(TOPIC, "k", "foreign")).get();

        DeadWorkerTransactions.abort(admin, GROUP, TimeUnit.SECONDS.toNanos(2));

        assertEquals(TransactionState.ONGOING, state("other-app-0"));
        assertThrows(ProducerFencedException.class, dead::commitTransaction);
        other.commitTransaction();
        assertEquals(List.of("foreign"), committedValues());
    }

    private TransactionState state(String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
            .get(10, TimeUnit.SECONDS).state();
    }

    private KafkaProducer<String, String> transactional(String id) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        producers.add(producer);
        producer.initTransactions();
        return producer;
    }

    /** Reads the topic read_committed to its last stable offset. */
    private List<String> committedValues() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
            new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
