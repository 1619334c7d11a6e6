package io.eventlake.it;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * The sink's rebalance scenarios ({@link RebalanceScenarios}) under Kafka 4's consumer group protocol (KIP-848,
 * {@code group.protocol=consumer}), which the KRaft broker of Kafka 4.3 serves without any setting: the broker
 * assigns, and partitions move incrementally.
 *
 * <p>Two worker settings differ from the other ITs' stack (and the broker's heartbeat interval is shorter). The consumers' {@code session.timeout.ms} is left out:
 * the consumer protocol refuses it (the broker's {@code group.consumer.session.timeout.ms} holds). And Connect's
 * periodic offset commits are pushed out of the test's way ({@code offset.flush.interval.ms} of an hour), because of
 * a Connect 4.3.1 defect with this protocol: {@code WorkerSinkTask} keeps the map an asynchronous commit's callback
 * hands back, which the new consumer makes unmodifiable, and removes revoked partitions from it on the next
 * rebalance; the task dies with {@code UnsupportedOperationException} in {@code SinkTaskMetricsGroup.clearOffsets}.
 * The commits Connect makes while revoking and stopping are synchronous and unaffected, and the sink resumes from
 * its checkpoints, not from the group's offsets.
 */
class SinkRebalanceConsumerProtocolIT extends RebalanceScenarios {

    private static final Map<String, String> CONSUMER_PROTOCOL = Map.of("consumer.override.group.protocol",
        "consumer");

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        startStack(EmbeddedStack.builder(work.resolve("data"), work.resolve("lake"))
            .withoutWorkerProperty("consumer.session.timeout.ms")
            .workerProperty("offset.flush.interval.ms", "3600000")
            // Members learn of a new assignment at their next heartbeat: every 500 ms instead of 5 s keeps the test
            // short, and the tasks that stay take a moved task's partitions before it returns.
            .brokerProperty("group.consumer.min.heartbeat.interval.ms", "500")
            .brokerProperty("group.consumer.heartbeat.interval.ms", "500"));
    }

    /** A worker joins, then that same worker leaves, while the generator produces. */
    @Test
    void tasksMoveToAJoiningWorkerAndOffALeavingOne() throws Exception {
        handover("rebalance-kip848", CONSUMER_PROTOCOL, false);
    }

    /** A revoked partition's commit fails while its task keeps its other partitions. */
    @Test
    void aRevokedPartitionsFailingCommitCostsTheKeptPartitionsNothing() throws Exception {
        revocationWithFailingCommit("revoke-kip848", CONSUMER_PROTOCOL);
    }
}
