package io.eventlake.it;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * The sink's rebalance scenarios ({@link RebalanceScenarios}) under the classic consumer group protocol with
 * {@code partition.assignment.strategy=CooperativeStickyAssignor}: partitions move incrementally, a task keeps the
 * ones it is not asked to give up.
 */
class SinkRebalanceIT extends RebalanceScenarios {

    /**
     * Heartbeats every 100 ms: the tasks that stay learn at once that a moved task's consumer left and take its
     * partitions, so the moved task's return (a Connect rebalance later) revokes partitions from live tasks rather
     * than joining the same consumer rebalance.
     */
    private static final Map<String, String> COOPERATIVE = Map.of("consumer.override.partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "consumer.override.heartbeat.interval.ms",
        "100");

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        startStack(EmbeddedStack.builder(work.resolve("data"), work.resolve("lake")));
    }

    /** A worker joins, then the first worker leaves, while the generator produces. */
    @Test
    void tasksMoveToAJoiningWorkerAndOffALeavingOne() throws Exception {
        handover("rebalance-coop", COOPERATIVE, true);
    }

    /** A revoked partition's commit fails while its task keeps its other partitions. */
    @Test
    void aRevokedPartitionsFailingCommitCostsTheKeptPartitionsNothing() throws Exception {
        revocationWithFailingCommit("revoke-coop", COOPERATIVE);
    }
}
