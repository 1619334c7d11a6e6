package io.eventlake.local.stack;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Clears the transactions a killed worker left open, before a new worker of the same stack starts. */
final class DeadWorkerTransactions {

    private static final Logger log = LoggerFactory.getLogger(DeadWorkerTransactions.class);

    private DeadWorkerTransactions() {
    }

    /**
     * After a crash (kill -9) the worker's exactly-once source producers leave transactions open on its topics. A
     * restarted worker reads its offsets topic read_committed to the end before it does anything, and sinks read
     * read_committed too, so they would wait for the broker to time those transactions out (minutes, seen in
     * LauncherCrashRecoveryIT). No worker of this stack is alive yet, so an open transaction whose id starts with
     * the stack's Connect group id ({@code <group.id>-<connector>-<task>}, {@code <group.id>-leader}) is a dead
     * worker's: its producer is fenced, which aborts it through the coordinator, as Connect's zombie fencing would.
     * When the broker died with the worker, a partition can keep a transaction its coordinator no longer knows
     * (a "hanging transaction", KIP-664): one whose producer has no open transaction at any coordinator, so no
     * producer alive can finish it. After a grace period its abort marker is written directly, as
     * {@code kafka-transactions.sh abort} does. Open transactions of other transactional ids are never touched and
     * not waited for. Repeats until no partition is
     * held by a transaction of the stack's workers or a hanging one.
     */
    static void abort(Admin admin, String connectGroupId) throws Exception {
        abort(admin, connectGroupId, TimeUnit.SECONDS.toNanos(15));
    }

    static void abort(Admin admin, String connectGroupId, long hangingGraceNanos) throws Exception {
        long start = System.nanoTime();
        String prefix = connectGroupId + "-";
        Set<String> fenced = new TreeSet<>();
        Set<String> forced = new TreeSet<>();
        while (true) {
            try {
                Collection<TransactionListing> open = admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                            TransactionState.PREPARE_ABORT)))
                    .all().get(10, TimeUnit.SECONDS);
                List<String> ours = open.stream().map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix)).toList();
                Set<Long> foreign = new HashSet<>();
                open.stream().filter(t -> !t.transactionalId().startsWith(prefix))
                    .forEach(t -> foreign.add(t.producerId()));
                if (!ours.isEmpty()) {
                    admin.fenceProducers(ours).all().get(10, TimeUnit.SECONDS);
                    fenced.addAll(ours);
                }
                Map<TopicPartition, List<ProducerState>> held = heldPartitions(admin, foreign);
                if (held.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - start > hangingGraceNanos) {
                    Set<Long> openProducers = new HashSet<>();
                    open.forEach(t -> openProducers.add(t.producerId()));
                    abortHangingTransactions(admin, held, openProducers, forced);
                }
            } catch (ExecutionException | TimeoutException e) {
                log.debug("Broker not ready to list or abort transactions yet", e);
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                log.warn("Transactions still open after 120 s; the worker and sinks may wait for them");
                break;
            }
            Thread.sleep(250);
        }
        if (!fenced.isEmpty() || !forced.isEmpty()) {
            log.info("Aborted transactions left open by a worker that did not stop cleanly: fenced {}, "
                + "hanging aborted on {}", fenced, forced);
        }
    }

    /**
     * Partitions whose read_committed end is behind their high watermark, with the producers whose open transaction
     * holds them, other than the foreign ones (a transaction another producer has open is its own business).
     */
    private static Map<TopicPartition, List<ProducerState>> heldPartitions(Admin admin, Set<Long> foreign)
        throws Exception {
        List<TopicPartition> unsettled = unsettledPartitions(admin);
        if (unsettled.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, List<ProducerState>> held = new HashMap<>();
        admin.describeProducers(unsettled).all().get(10, TimeUnit.SECONDS).forEach((tp, state) -> {
            List<ProducerState> holders = state.activeProducers().stream()
                .filter(p -> p.currentTransactionStartOffset().isPresent() && !foreign.contains(p.producerId()))
                .toList();
            if (!holders.isEmpty()) {
                held.put(tp, holders);
            }
        });
        return held;
    }

    /** Partitions whose read_committed end is behind their high watermark: an open transaction holds them. */
    private static List<TopicPartition> unsettledPartitions(Admin admin) throws Exception {
        List<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
            .filter(t -> !t.startsWith("__")).toList();
        if (topics.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(d ->
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> committed = admin.listOffsets(latest,
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> all = admin.listOffsets(latest,
            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(10, TimeUnit.SECONDS);
        return latest.keySet().stream().filter(tp -> committed.get(tp).offset() < all.get(tp).offset()).toList();
    }

    /**
     * Writes abort markers for open transactions on partitions whose producer has no open transaction at any
     * coordinator (hanging ones, KIP-664: no producer alive can ever finish them).
     */
    private static void abortHangingTransactions(Admin admin, Map<TopicPartition, List<ProducerState>> held,
                                                 Set<Long> openProducers, Set<String> forced) throws Exception {
        for (Map.Entry<TopicPartition, List<ProducerState>> e : held.entrySet()) {
            for (ProducerState p : e.getValue()) {
                if (!openProducers.contains(p.producerId())) {
                    // Rare, and the one step here that writes a marker no coordinator decided: say what it saw, so
                    // a crash-recovery run that goes wrong afterwards can be traced to it.
                    log.warn("Aborting a hanging transaction on {}: producer {} epoch {} (coordinator epoch {}), "
                        + "open since offset {}; the coordinators list it as {}", e.getKey(), p.producerId(),
                        p.producerEpoch(), p.coordinatorEpoch().orElse(-1), p.currentTransactionStartOffset().orElse(-1),
                        coordinatorView(admin, p.producerId()));
                    admin.abortTransaction(new AbortTransactionSpec(e.getKey(), p.producerId(),
                        (short) p.producerEpoch(), p.coordinatorEpoch().orElse(0))).all().get(10, TimeUnit.SECONDS);
                    forced.add(e.getKey().toString());
                }
            }
        }
    }

    /** What the coordinators know of {@code producerId}: its transactional ids and states, in any state. */
    private static String coordinatorView(Admin admin, long producerId) {
        try {
            List<String> known = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                .filter(t -> t.producerId() == producerId).map(t -> t.transactionalId() + " " + t.state()).toList();
            return known.isEmpty() ? "unknown" : known.toString();
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "not listed (" + e + ")";
        }
    }
}
