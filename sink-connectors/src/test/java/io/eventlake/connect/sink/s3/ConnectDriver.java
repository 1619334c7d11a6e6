package io.eventlake.connect.sink.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Drives a sink task the way Connect's {@code WorkerSinkTask} does, over in-memory partition logs: it applies the
 * task's rewinds (seeks) at the start of each poll, skips paused partitions, redelivers a batch after a
 * {@code RetriableException}, commits what {@code preCommit} returns, rewinds every partition to its committed
 * offset when {@code preCommit} throws (except while closing: "Offset commit failed during close"), and calls
 * {@code preCommit} then {@code close} on revocation. Only what the task sees is modelled.
 */
final class ConnectDriver {

    final S3ParquetSinkTask task;
    final FakeSinkTaskContext context;
    final Map<TopicPartition, List<SinkRecord>> logs;
    final Map<TopicPartition, Long> position = new HashMap<>();
    final Map<TopicPartition, Long> committed = new HashMap<>();
    final Set<TopicPartition> assigned = new LinkedHashSet<>();
    private List<SinkRecord> redeliver = List.of();

    ConnectDriver(S3ParquetSinkTask task, FakeSinkTaskContext context, Map<TopicPartition, List<SinkRecord>> logs) {
        this.task = task;
        this.context = context;
        this.logs = logs;
    }

    void assign(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            assigned.add(tp);
            position.put(tp, committed.getOrDefault(tp, 0L));
        }
        context.assignment = Set.copyOf(assigned);
        task.open(partitions);
    }

    /** One iteration: seeks, then up to {@code max} records of each unpaused partition, through put. */
    void poll(int max) {
        synchronized (context) {
            context.rewinds.forEach(position::put);
            context.rewinds.clear();
        }
        List<SinkRecord> batch;
        if (!redeliver.isEmpty()) {
            batch = redeliver;
        } else {
            batch = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                if (context.paused.contains(tp)) {
                    continue;
                }
                List<SinkRecord> log = logs.get(tp);
                long from = position.get(tp);
                int taken = 0;
                for (SinkRecord r : log) {
                    if (r.kafkaOffset() >= from && taken < max) {
                        batch.add(r);
                        taken++;
                        position.put(tp, r.kafkaOffset() + 1);
                    }
                }
            }
        }
        try {
            task.put(batch);
            redeliver = List.of();
        } catch (RetriableException e) {
            redeliver = batch;
        }
    }

    /** An offset commit, as Connect runs it every offset.flush.interval.ms (and before a revocation). */
    void commit(boolean closing) {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        for (TopicPartition tp : assigned) {
            current.put(tp, new OffsetAndMetadata(position.get(tp)));
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = task.preCommit(current);
        } catch (RuntimeException e) {
            if (!closing) {
                for (TopicPartition tp : assigned) {
                    position.put(tp, committed.getOrDefault(tp, 0L));
                }
            }
            return;
        }
        offsets.forEach((tp, o) -> {
            if (assigned.contains(tp)) {
                committed.put(tp, o.offset());
            }
        });
    }

    /** A (cooperative) revocation of some partitions: commit while closing, then close them. */
    void revoke(Collection<TopicPartition> partitions) {
        commit(true);
        task.close(partitions);
        assigned.removeAll(partitions);
        context.assignment = Set.copyOf(assigned);
    }

    /** Every record of every log handed to the task (for a caught-up check). */
    boolean caughtUp() {
        for (TopicPartition tp : assigned) {
            List<SinkRecord> log = logs.get(tp);
            if (!log.isEmpty() && position.get(tp) <= log.get(log.size() - 1).kafkaOffset()) {
                return false;
            }
        }
        return true;
    }
}
