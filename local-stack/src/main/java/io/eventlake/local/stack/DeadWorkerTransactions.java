package io.eventlake.local.stack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
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
     * LauncherCrashRecoveryIT). No worker of this stack is alive yet, so every open transaction is a dead one's.
     * First its producer is fenced, which aborts it through the coordinator, as Connect's zombie fencing would.
     * When the broker died with the worker, a partition can keep a transaction its coordinator no longer knows
     * (a "hanging transaction", KIP-664); after a grace period its abort marker is written directly, as
     * {@code kafka-transactions.sh abort} does. Repeats until every topic's read_committed end has caught up.
     */
    static void abort(Admin admin) throws Exception {
        long start = System.nanoTime();
        Set<String> fenced = new TreeSet<>();
        Set<String> forced = new TreeSet<>();
        while (true) {
            try {
                List<String> open = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(
                        TransactionState.ONGOING, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)))
                    .all().get(10, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
                if (!open.isEmpty()) {
                    admin.fenceProducers(open).all().get(10, TimeUnit.SECONDS);
                    fenced.addAll(open);
                }
                List<TopicPartition> unsettled = unsettledPartitions(admin);
                if (unsettled.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(15)) {
                    abortHangingTransactions(admin, unsettled, forced);
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

    private static void abortHangingTransactions(Admin admin, List<TopicPartition> partitions, Set<String> forced)
        throws Exception {
        Map<TopicPartition, DescribeProducersResult.PartitionProducerState> producers =
            admin.describeProducers(partitions).all().get(10, TimeUnit.SECONDS);
        for (Map.Entry<TopicPartition, DescribeProducersResult.PartitionProducerState> e : producers.entrySet()) {
            for (ProducerState p : e.getValue().activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent()) {
                    admin.abortTransaction(new AbortTransactionSpec(e.getKey(), p.producerId(),
                        (short) p.producerEpoch(), p.coordinatorEpoch().orElse(0))).all().get(10, TimeUnit.SECONDS);
                    forced.add(e.getKey().toString());
                }
            }
        }
    }
}
