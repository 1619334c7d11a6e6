package io.eventlake.it;

import static io.eventlake.it.SinkHarness.await;
import static io.eventlake.it.SinkHarness.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.it.faults.Exchange;
import io.eventlake.it.faults.Fault;
import io.eventlake.it.faults.FaultProxy;
import io.eventlake.it.faults.Gate;
import io.eventlake.it.faults.Rule;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.WorkerEnvironment;

/**
 * A zombie: a second instance of the sink task (the plugin's own classes, loaded from its installed jars) that
 * still writes partition 0 after the real connector has taken it. The zombie reaches S3 through a proxy of its own,
 * which stalls it at a chosen request, so the interleaving is exact. The real connector must fence it: the zombie's
 * checkpoint write fails with 412, nothing it wrote stays in the lake, and the checkpoint never moves back.
 */
class SinkZombieIT {

    private static final int RECORDS = 2000;

    @TempDir
    static Path work;
    static EmbeddedStack stack;
    static FaultProxy zombieProxy;

    private final List<String> connectors = new ArrayList<>();
    private CheckpointWatch watch;

    @BeforeAll
    static void startStack() throws Exception {
        stack = ItStack.start(work);
        zombieProxy = FaultProxy.start(stack.s3Endpoint());
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (zombieProxy != null) {
            zombieProxy.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        zombieProxy.clearRules();
        zombieProxy.clearExchanges();
        if (watch != null) {
            watch.close();
        }
        for (String c : connectors) {
            stack.connect().delete(c);
        }
    }

    /**
     * The zombie's config: the connector's, but a batch is sealed every 100 records, and it waits long on S3. The
     * zombie runs outside Connect, so no config provider resolves the connector's ${env:...} credentials: it gets
     * the values.
     */
    private static Map<String, String> zombieProps(String topic) {
        Map<String, String> props = sink(stack, zombieProxy.endpoint(), topic);
        props.put("aws.access.key.id", stack.workerEnvironment().get(WorkerEnvironment.S3_ACCESS_KEY_ID));
        props.put("aws.secret.access.key", stack.workerEnvironment().get(WorkerEnvironment.S3_SECRET_ACCESS_KEY));
        props.put("flush.size", "100");
        props.put("rotate.wallclock.interval.ms", "0");
        props.put("s3.client.api.call.attempt.timeout.ms", "300000");
        props.put("s3.client.socket.timeout.ms", "300000");
        return props;
    }

    /** The topic's records {@code from..to-1} of partition 0 as the worker's converter would hand them over. */
    private static List<SinkRecord> records(String topic, long from, long to) {
        JsonConverter converter = Topics.valueConverter();
        List<SinkRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            if (r.offset() >= from && r.offset() < to) {
                SchemaAndValue v = converter.toConnectData(topic, r.value());
                out.add(new SinkRecord(topic, r.partition(), null, null, v.schema(), v.value(), r.offset(),
                    r.timestamp(), TimestampType.CREATE_TIME));
            }
        }
        return out;
    }

    private void startConnector(String topic) throws Exception {
        Map<String, String> config = sink(stack, stack.s3Endpoint(), topic);
        stack.connect().putConfig(topic + "-sink", config);
        connectors.add(topic + "-sink");
    }

    private static boolean checkpointIs(String topic, long epoch, long next) throws Exception {
        JsonNode cp = LakeAudit.checkpoint(stack, topic, 0);
        return cp != null && cp.path("epoch").asLong() == epoch && cp.path("next").asLong() == next
            && cp.path("pending").isEmpty();
    }

    /** Feeds the zombie (an empty put lets it act on what its pipeline reported) until it has paused partition 0. */
    private static void awaitFenced(ZombieTask zombie, TopicPartition tp) throws Exception {
        await(120, "the zombie to learn it was fenced", () -> {
            zombie.put(List.of());
            return zombie.context.paused.contains(tp);
        });
    }

    private static List<Exchange> zombieRequests(String method, String pathRegex) {
        return zombieProxy.exchanges(e -> e.method().equals(method) && e.path().matches(pathRegex));
    }

    /**
     * The zombie is stalled on its data upload (the example).
     * <ol>
     *   <li>The zombie opens partition 0: it creates the checkpoint with owner epoch 1.</li>
     *   <li>It writes offsets 0..99 and commits: the intent ({@code pending: [its file]}) is written; the upload of
     *       its file (epoch 1 in the name) is held at its proxy.</li>
     *   <li>The real connector's task opens partition 0: epoch 2; it deletes the pending file (not there yet), and
     *       lands offsets 0..1999 in files of epoch 2: checkpoint {@code {epoch 2, next 2000}}.</li>
     *   <li>The zombie's upload is released: its file lands (its name is free), then its commit write names the
     *       ETag of its intent and gets 412. The zombie reads the checkpoint, sees epoch 2, deletes its file and
     *       drops the partition.</li>
     *   <li>The zombie keeps being fed records 100..299: it writes nothing more, pauses the partition and reports no
     *       offset for it.</li>
     *   <li>500 more records are produced; the real connector lands them.</li>
     * </ol>
     * Every offset is in the lake once, no file of epoch 1 is left, and the checkpoint never moved back.
     */
    @Test
    void aZombieStalledOnItsUploadIsFencedAndLeavesNothing() throws Exception {
        String topic = "zombie-upload";
        TopicPartition tp = new TopicPartition(topic, 0);
        stack.createTopic(topic, 1);
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, topic, 1)) {
            producer.send(RECORDS);
            watch = new CheckpointWatch(topic);
            Gate upload = new Gate();
            zombieProxy.add(Rule.on("PUT", "/eventlake/topics/" + topic + "/.*\\+1\\.parquet")
                .then(Fault.stall(upload)));
            try (ZombieTask zombie = new ZombieTask(stack, zombieProps(topic))) {
                zombie.open(tp);
                zombie.put(records(topic, 0, 100));
                assertTrue(upload.awaitHeld(1, Duration.ofSeconds(60)), "the zombie's upload reached its proxy");

                startConnector(topic);
                await(120, "the real connector to land " + RECORDS, () -> checkpointIs(topic, 2, RECORDS));

                upload.releaseAll();
                awaitFenced(zombie, tp);
                List<Exchange> writes = zombieRequests("PUT", "/eventlake/_eventlake/checkpoints/topics/" + topic
                    + "/0\\.json");
                assertEquals(List.of(200, 200, 412), writes.stream().map(Exchange::status).toList(),
                    "create, intent, then the commit write refused");
                String file = upload.held().get(0).path();
                assertEquals(List.of(200), zombieRequests("PUT", Pattern.quote(file)).stream()
                    .map(Exchange::status).toList(), "the zombie's late upload landed");
                assertTrue(zombieRequests("DELETE", Pattern.quote(file)).stream()
                    .anyMatch(d -> d.request().seq() > writes.get(2).request().seq()), "and was deleted by it");

                int before = zombieProxy.exchanges().size();
                zombie.put(records(topic, 100, 300));
                assertEquals(Map.of(), zombie.preCommit(), "a fenced task reports no offset");
                assertTrue(zombieProxy.exchanges().subList(before, zombieProxy.exchanges().size()).stream()
                    .noneMatch(e -> e.method().equals("PUT")), "the zombie wrote nothing more");
            }
            producer.send(500);
        }
        LakeAudit.awaitExactlyOnce(stack, topic + "-sink", topic, 120);
        assertNoFileOfEpoch(topic, 1);
        watch.assertNeverMovedBack();
    }

    /**
     * The zombie is stalled on its commit write, after its upload (the unit test's sequence, on the real stack).
     * <ol>
     *   <li>The zombie (epoch 1) writes offsets 0..99: intent, then its file lands; its commit write
     *       ({@code next: 100}) is held at its proxy.</li>
     *   <li>The real connector's task opens partition 0 (epoch 2), deletes the zombie's pending file (it exists),
     *       and lands offsets 0..1999: {@code {epoch 2, next 2000}}.</li>
     *   <li>The zombie's commit write is released: it names a stale ETag and gets 412. The zombie is fenced and
     *       deletes its file (already gone).</li>
     * </ol>
     * The checkpoint stays at {@code {epoch 2, next 2000}} (it never moved back to 100), every offset is in the lake
     * once and no file of epoch 1 is left.
     */
    @Test
    void aZombieStalledOnItsCommitCannotMoveTheCheckpointBack() throws Exception {
        String topic = "zombie-commit";
        TopicPartition tp = new TopicPartition(topic, 0);
        stack.createTopic(topic, 1);
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, topic, 1)) {
            producer.send(RECORDS);
            watch = new CheckpointWatch(topic);
            Gate commit = new Gate();
            String checkpoint = "/eventlake/_eventlake/checkpoints/topics/" + topic + "/0\\.json";
            zombieProxy.add(Rule.on("PUT", checkpoint).header("If-Match", ".+").nth(2).then(Fault.stall(commit)));
            try (ZombieTask zombie = new ZombieTask(stack, zombieProps(topic))) {
                zombie.open(tp);
                zombie.put(records(topic, 0, 100));
                assertTrue(commit.awaitHeld(1, Duration.ofSeconds(60)), "the zombie's commit write reached its proxy");
                String file = zombieRequests("PUT", "/eventlake/topics/" + topic + "/.*").get(0).path();

                startConnector(topic);
                await(120, "the real connector to land " + RECORDS, () -> checkpointIs(topic, 2, RECORDS));
                assertFalse(Files.exists(stack.bucketDir().resolve(file.substring("/eventlake/".length()))),
                    "the new owner deleted the zombie's pending file");

                commit.releaseAll();
                awaitFenced(zombie, tp);
                List<Integer> writes = zombieRequests("PUT", checkpoint).stream().map(Exchange::status).toList();
                assertEquals(List.of(200, 200, 412), writes, "create, intent, then the commit write refused");
                assertTrue(checkpointIs(topic, 2, RECORDS), "the checkpoint did not move back");
            }
        }
        LakeAudit.awaitExactlyOnce(stack, topic + "-sink", topic, 120);
        assertNoFileOfEpoch(topic, 1);
        watch.assertNeverMovedBack();
    }

    private static void assertNoFileOfEpoch(String topic, int epoch) throws Exception {
        List<Object> files = Lake.query(stack.bucketDir(), topic, "SELECT DISTINCT filename FROM lake").stream()
            .map(r -> r.get("filename")).filter(f -> f.toString().endsWith("+" + epoch + ".parquet")).toList();
        assertEquals(List.of(), files, "files of the zombie's epoch left in the lake");
    }

    /**
     * Reads partition 0's checkpoint from the bucket folder every few milliseconds and keeps each state it saw, so
     * the test can check the checkpoint only ever moved forward: epoch and next never decrease.
     */
    private static final class CheckpointWatch implements AutoCloseable {
        private final List<long[]> states = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        CheckpointWatch(String topic) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        JsonNode cp = LakeAudit.checkpoint(stack, topic, 0);
                        if (cp != null) {
                            long[] state = {cp.path("epoch").asLong(), cp.path("next").asLong()};
                            long[] last = states.isEmpty() ? null : states.get(states.size() - 1);
                            if (last == null || last[0] != state[0] || last[1] != state[1]) {
                                states.add(state);
                            }
                        }
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // A file being replaced: read it again.
                    }
                }
            }, "checkpoint-watch-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        void assertNeverMovedBack() {
            List<String> seen = states.stream().map(s -> "{epoch " + s[0] + ", next " + s[1] + "}").toList();
            assertTrue(states.size() >= 2, "the watch saw the checkpoint change: " + seen);
            for (int i = 1; i < states.size(); i++) {
                long[] a = states.get(i - 1);
                long[] b = states.get(i);
                assertTrue(b[0] >= a[0] && b[1] >= a[1], "the checkpoint moved back: " + seen);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
