package io.eventlake.it;

import static io.eventlake.it.SinkHarness.await;
import static io.eventlake.it.SinkHarness.awaitGenerated;
import static io.eventlake.it.SinkHarness.generator;
import static io.eventlake.it.SinkHarness.rowsInLake;
import static io.eventlake.it.SinkHarness.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.it.faults.Exchange;
import io.eventlake.it.faults.Fault;
import io.eventlake.it.faults.FaultProxy;
import io.eventlake.it.faults.Gate;
import io.eventlake.it.faults.Request;
import io.eventlake.it.faults.Rule;
import io.eventlake.local.stack.EmbeddedConnect;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * The rebalance scenarios of the sink on two Connect workers in one cluster while data flows, for each consumer
 * group protocol ({@link SinkRebalanceIT}, {@link SinkRebalanceConsumerProtocolIT}): tasks move when a worker joins
 * and when one leaves; and a partition revoked incrementally while its commit is under way, whose commit then fails,
 * while the task keeps its other partitions. Every offset lands once.
 */
abstract class RebalanceScenarios {

    private static final Pattern FILE = Pattern.compile(".*\\+(\\d+)\\+\\d{20}\\+(\\d+)\\.parquet");

    static EmbeddedStack stack;
    static FaultProxy proxy;
    private final List<String> connectors = new ArrayList<>();

    /** Starts the stack (plugin from its zip) as the subclass's builder says, and the proxy in front of S3. */
    static void startStack(EmbeddedStack.Builder builder) throws Exception {
        stack = builder.pluginZip(ItStack.pluginZip()).build().start();
        proxy = FaultProxy.start(stack.s3Endpoint());
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        proxy.clearRules();
        for (String c : connectors) {
            stack.connect().delete(c);
        }
        // The next test starts on one worker again.
        while (stack.workers().size() > 1) {
            stack.stopWorker(stack.workers().get(stack.workers().size() - 1));
        }
    }

    /**
     * A worker joins, then one leaves, while the generator produces.
     * <ol>
     *   <li>Worker A runs the generator and the sink (4 tasks over 8 partitions); data lands.</li>
     *   <li>Worker B joins: Connect moves some connectors and tasks to it; the moved sink tasks stop on A (their
     *       partitions are closed) and start on B, and the consumer group hands partitions over incrementally.</li>
     *   <li>Once more data has landed, worker A (or B) stops: its tasks are stopped and started on the other.</li>
     * </ol>
     */
    void handover(String name, Map<String, String> consumer, boolean stopFirst) throws Exception {
        int events = 40_000;
        stack.createTopic(name, 8);
        Map<String, String> generator = generator(name, events, 2000);
        // Event times follow the clock, with late events: batches span folders, as in production.
        List.of("event.time.mode", "simulated.start", "simulated.events.per.second", "late.events.share")
            .forEach(generator::remove);
        stack.connect().putConfig(name + "-generator", generator);
        connectors.add(name + "-generator");
        Map<String, String> sink = sink(stack, proxy.endpoint(), name);
        sink.put("tasks.max", "4");
        sink.put("flush.size", "2000");
        sink.put("rotate.wallclock.interval.ms", "1000");
        sink.putAll(consumer);
        stack.connect().putConfig(name + "-sink", sink);
        connectors.add(name + "-sink");
        await(120, "the sink's 4 tasks to run", () -> running(name + "-sink", 4));
        await(120, "data in the lake", () -> rowsInLake(stack, name) >= 2000);

        EmbeddedConnect first = stack.workers().get(0);
        EmbeddedConnect second = stack.addWorker();
        // Connect balances tasks apart from connectors: of the 5 tasks, at least one of the sink's moves.
        await(180, "a sink task on the new worker", () -> running(name + "-sink", 4)
            && workersOf(name + "-sink").contains(second.restUrl().replace("http://", "")));
        long landed = rowsInLake(stack, name);
        await(120, "more data in the lake", () -> running(name + "-sink", 4)
            && rowsInLake(stack, name) >= landed + 2000);

        EmbeddedConnect leaving = stopFirst ? first : second;
        EmbeddedConnect staying = stopFirst ? second : first;
        stack.stopWorker(leaving);
        await(180, "every task on the remaining worker", () -> running(name + "-sink", 4)
            && workersOf(name + "-sink").equals(Set.of(staying.restUrl().replace("http://", ""))));

        awaitGenerated(stack, name + "-generator", events);
        LakeAudit.awaitExactlyOnce(stack, name + "-sink", name, 180);
    }

    /** Waits as {@link SinkHarness#await}; on timeout the failure also shows the checkpoints, group and tasks. */
    private static void awaitOrDescribe(int seconds, String what, String topic, int partitions,
                                        java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            await(seconds, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n  checkpoints: " + checkpoints(topic, partitions)
                + "\n  group: " + describeGroup("connect-" + topic + "-sink") + "\n  tasks: "
                + stack.connect().status(topic + "-sink"), e);
        }
    }

    private static String describeGroup(String group) {
        try (Admin admin = stack.admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            StringBuilder out = new StringBuilder(String.valueOf(d.groupState()));
            for (MemberDescription m : d.members()) {
                out.append(" ").append(m.clientId()).append("=").append(m.assignment().topicPartitions());
            }
            return out.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** True when the connector's tasks all run; fails at once when one failed. */
    private static boolean running(String connector, int tasks) throws Exception {
        SinkHarness.assertNoFailure(stack, connector);
        return stack.connect().isRunning(connector, tasks);
    }

    /** The workers (host:port) running the connectors' tasks. */
    private static Set<String> workersOf(String... connectors) throws Exception {
        Set<String> workers = new TreeSet<>();
        for (String c : connectors) {
            JsonNode status = stack.connect().status(c);
            if (status != null) {
                status.path("tasks").forEach(t -> workers.add(t.path("worker_id").asText()));
            }
        }
        return workers;
    }

    /**
     * An incremental revocation while commits are under way, and the revoked partitions' commits then fail.
     * <ol>
     *   <li>One worker runs the sink with 3 tasks over 6 partitions (2 each); records flow; every partition has
     *       committed under its owner's epoch. The S3 client makes one attempt per request here, so a refused upload
     *       fails its commit.</li>
     *   <li>The proxy holds every data upload: each partition has a commit under way.</li>
     *   <li>A second worker joins. Connect moves one sink task (it balances tasks apart from connectors): the task
     *       stops on the first worker (its partitions go to the two others, which open them), starts on the second
     *       and joins the group; the group revokes one partition from each of the two tasks that stayed, while they
     *       keep their other ones. Closing a revoked partition waits {@code close.wait.ms} (1 s) for its held
     *       commit, then drops it. (When the task's return joins the same consumer rebalance as its leave, it gets
     *       its partitions back and no staying task loses one: then the joined worker leaves, or joins again, until
     *       a staying task did; at most 4 moves.)</li>
     *   <li>Once the group is stable (3 members, 2 partitions each) and every partition's owner has opened it and
     *       sealed a batch (its upload is held too), the held uploads are released: those of an owner that lost its
     *       partition (their file names carry an epoch older than the partition's checkpoint) are answered 503
     *       SlowDown, so those commits fail; all others go through.</li>
     * </ol>
     * The partitions the staying tasks kept through the move were never closed, rewound or written twice by their
     * owner (none of its files deleted, each written once and accepted); the revoked partitions are landed by their
     * new owners from their checkpoints. Every offset lands once.
     */
    void revocationWithFailingCommit(String name, Map<String, String> consumer) throws Exception {
        int partitions = 6;
        String connector = name + "-sink";
        stack.createTopic(name, partitions);
        String data = "/eventlake/topics/" + name + "/.*\\.parquet";
        Map<Integer, Long> beforeLastMove = Map.of();
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, name, partitions).startFlow(600)) {
            Map<String, String> sink = sink(stack, proxy.endpoint(), name);
            sink.put("tasks.max", "3");
            sink.put("flush.size", "100000");
            sink.put("rotate.wallclock.interval.ms", "500");
            sink.put("s3.retry.max.attempts", "1");
            sink.put("s3.client.api.call.attempt.timeout.ms", "300000");
            sink.put("s3.client.socket.timeout.ms", "300000");
            sink.put("close.wait.ms", "1000");
            sink.putAll(consumer);
            stack.connect().putConfig(connector, sink);
            connectors.add(connector);
            awaitOrDescribe(120, "a stable group of 3 with 2 partitions each", name, partitions,
                () -> running(connector, 3) && balanced(connector, 3)
                    && checkpoints(name, partitions).size() == partitions);
            // An owner may open its partition a moment after the group says it has it: start over on a new epoch.
            List<Map<Integer, JsonNode>> settled = new ArrayList<>(List.of(checkpoints(name, partitions)));
            awaitOrDescribe(120, "every partition committing under its owner's epoch", name, partitions, () -> {
                Map<Integer, JsonNode> now = checkpoints(name, partitions);
                if (!epochs(now).equals(epochs(settled.get(0)))) {
                    settled.set(0, now);
                    return false;
                }
                return committedSince(name, settled.get(0));
            });
            Gate gate = new Gate();
            proxy.add(Rule.on("PUT", data).always().then(Fault.stall(gate)));
            awaitOrDescribe(120, "a held upload of every partition", name, partitions, () -> gate.held().stream()
                .map(r -> partitionOf(r.path())).distinct().count() == partitions);

            // A move revokes partitions from a task that stays only if the tasks that stay took the moved task's
            // partitions before it came back; when its return joins the same consumer rebalance as its leave, it
            // simply gets them back. So the move is made again (a worker joins, or the joined one leaves) until a
            // staying task gave up a partition while keeping others.
            boolean partial = false;
            List<String> moves = new ArrayList<>();
            for (int move = 1; move <= 4 && !partial; move++) {
                Map<Integer, Long> epochsBeforeMove = epochs(checkpoints(name, partitions));
                beforeLastMove = epochsBeforeMove;
                Map<String, Set<Integer>> ownersBeforeMove = owners(connector);
                Map<String, String> workersBeforeMove = taskWorkers(connector);
                if (stack.workers().size() == 1) {
                    EmbeddedConnect joined = stack.addWorker();
                    awaitOrDescribe(180, "a sink task on the new worker", name, partitions, () -> workersOf(connector)
                        .contains(joined.restUrl().replace("http://", "")));
                } else {
                    EmbeddedConnect leaving = stack.workers().get(1);
                    stack.stopWorker(leaving);
                    awaitOrDescribe(180, "every sink task on the first worker", name, partitions,
                        () -> !workersOf(connector).contains(leaving.restUrl().replace("http://", "")));
                }
                // Stable, and every partition's owner has opened it and sealed a batch under its epoch.
                awaitOrDescribe(180, "a stable group of 3 after the move, every owner's upload held", name,
                    partitions, () -> running(connector, 3) && balanced(connector, 3)
                        && ownersHeld(gate, name, partitions));
                Map<Integer, Long> epochsAfterMove = epochs(checkpoints(name, partitions));
                Map<String, Set<Integer>> ownersAfterMove = owners(connector);
                partial = partialRevocation(epochsBeforeMove, epochsAfterMove, ownersBeforeMove, ownersAfterMove,
                    workersBeforeMove, taskWorkers(connector));
                moves.add("owners " + ownersBeforeMove + " -> " + ownersAfterMove + ", epochs " + epochsBeforeMove
                    + " -> " + epochsAfterMove);
            }
            assertTrue(partial, "no task that stayed gave up a partition while keeping others: " + moves);
            Map<Integer, Long> atRelease = epochs(checkpoints(name, partitions));

            List<Request> refused = new CopyOnWriteArrayList<>();
            gate.release(r -> {
                if (epochOf(r.path()) < atRelease.get(partitionOf(r.path()))) {
                    refused.add(r);
                    return Fault.slowDown();
                }
                return null;
            });
            proxy.clearRules();
            await(60, "every held upload answered", () -> proxy.exchanges(e -> gate.held().stream()
                .anyMatch(h -> h.seq() == e.request().seq())).size() == gate.held().size());
            assertTrue(!refused.isEmpty(), "an upload of a revoked partition was refused");

            long sent = producer.sent();
            await(120, "more records flowing after the release", () -> producer.sent() >= sent + 1000);
        }
        LakeAudit.awaitExactlyOnce(stack, connector, name, 180);

        // The partitions the staying tasks kept through the last move: their owner never closed, rewound or wrote
        // twice any of its files (the files carry its epoch), though its commit was held during the revocation.
        Map<Integer, Long> after = epochs(checkpoints(name, partitions));
        int kept = 0;
        for (int partition = 0; partition < partitions; partition++) {
            long epoch = after.get(partition);
            if (epoch != beforeLastMove.get(partition)) {
                continue;
            }
            kept++;
            int p = partition;
            List<Exchange> writes = proxy.exchanges(e -> e.method().equals("PUT") && e.path().matches(data)
                && partitionOf(e.path()) == p && epochOf(e.path()) == epoch);
            assertTrue(!writes.isEmpty() && writes.stream().allMatch(e -> e.status() == 200),
                name + "-" + p + ": " + writes);
            assertEquals(writes.size(), writes.stream().map(Exchange::path).distinct().count(),
                name + "-" + p + ": a file written twice");
            assertEquals(List.of(), proxy.exchanges(e -> e.method().equals("DELETE") && e.path().matches(data)
                && partitionOf(e.path()) == p && epochOf(e.path()) == epoch), name + "-" + p
                + ": a file of its owner deleted (a rewind)");
        }
        assertTrue(kept > 0, "no partition was kept through the last move: " + beforeLastMove + " -> " + after);
    }

    /**
     * True when a task that stayed on its worker closed a partition while it kept others: a partition was opened
     * twice during the move (by a staying task, then by the moved one), or a staying task's partition went to
     * another task while the staying task still has one of its earlier partitions.
     */
    private static boolean partialRevocation(Map<Integer, Long> epochsBefore, Map<Integer, Long> epochsAfter,
                                             Map<String, Set<Integer>> ownersBefore,
                                             Map<String, Set<Integer>> ownersAfter, Map<String, String> workersBefore,
                                             Map<String, String> workersAfter) {
        for (Map.Entry<Integer, Long> e : epochsAfter.entrySet()) {
            if (e.getValue() - epochsBefore.get(e.getKey()) >= 2) {
                return true;
            }
        }
        for (Map.Entry<String, Set<Integer>> before : ownersBefore.entrySet()) {
            String member = before.getKey();
            if (!workersBefore.get(member).equals(workersAfter.get(member))) {
                continue;
            }
            Set<Integer> now = ownersAfter.getOrDefault(member, Set.of());
            if (now.stream().anyMatch(before.getValue()::contains)
                && before.getValue().stream().anyMatch(p -> !now.contains(p))) {
                return true;
            }
        }
        return false;
    }

    /** Partitions of the sink's consumer group, by member client id ({@code connector-consumer-<name>-<task>}). */
    private static Map<String, Set<Integer>> owners(String connector) throws Exception {
        String group = "connect-" + connector;
        try (Admin admin = stack.admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<String, Set<Integer>> owners = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                Set<Integer> partitions = new TreeSet<>();
                m.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
                owners.put(m.clientId(), partitions);
            }
            return owners;
        }
    }

    /** The worker of each of the connector's tasks, by the client id of the task's consumer. */
    private static Map<String, String> taskWorkers(String connector) throws Exception {
        Map<String, String> workers = new TreeMap<>();
        stack.connect().status(connector).path("tasks").forEach(t -> workers.put("connector-consumer-" + connector
            + "-" + t.path("id").asText(), t.path("worker_id").asText()));
        return workers;
    }

    /** For every partition, an upload is held whose file carries the partition's current epoch. */
    private static boolean ownersHeld(Gate gate, String topic, int partitions) throws Exception {
        Map<Integer, Long> current = epochs(checkpoints(topic, partitions));
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            if (gate.held().stream().noneMatch(r -> partitionOf(r.path()) == partition
                && epochOf(r.path()) == current.get(partition))) {
                return false;
            }
        }
        return true;
    }

    /** True when every partition committed more under the same epoch since {@code earlier}. */
    private static boolean committedSince(String topic, Map<Integer, JsonNode> earlier) throws Exception {
        Map<Integer, JsonNode> now = checkpoints(topic, earlier.size());
        for (Map.Entry<Integer, JsonNode> e : earlier.entrySet()) {
            JsonNode cp = now.get(e.getKey());
            if (cp == null || cp.path("epoch").asLong() != e.getValue().path("epoch").asLong()
                || cp.path("next").asLong() <= e.getValue().path("next").asLong()) {
                return false;
            }
        }
        return true;
    }

    private static int partitionOf(String path) {
        Matcher m = FILE.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a data file: " + path);
        }
        return Integer.parseInt(m.group(1));
    }

    private static long epochOf(String path) {
        Matcher m = FILE.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a data file: " + path);
        }
        return Long.parseLong(m.group(2));
    }

    private static Map<Integer, JsonNode> checkpoints(String topic, int partitions) throws Exception {
        Map<Integer, JsonNode> checkpoints = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            JsonNode cp = LakeAudit.checkpoint(stack, topic, p);
            if (cp != null) {
                checkpoints.put(p, cp);
            }
        }
        return checkpoints;
    }

    private static Map<Integer, Long> epochs(Map<Integer, JsonNode> checkpoints) {
        Map<Integer, Long> epochs = new TreeMap<>();
        checkpoints.forEach((p, cp) -> epochs.put(p, cp.path("epoch").asLong()));
        return epochs;
    }

    /** True when the sink's consumer group has {@code members} members, each with the same number of partitions. */
    private static boolean balanced(String connector, int members) throws Exception {
        String group = "connect-" + connector;
        ConsumerGroupDescription d;
        try (Admin admin = stack.admin()) {
            d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                // Not created yet: no task has joined.
                return false;
            }
            throw e;
        }
        if (d.members().size() != members) {
            return false;
        }
        Map<String, Integer> sizes = new HashMap<>();
        for (MemberDescription m : d.members()) {
            sizes.put(m.consumerId(), m.assignment().topicPartitions().size());
        }
        return sizes.values().stream().distinct().count() == 1 && sizes.values().iterator().next() > 0;
    }
}
