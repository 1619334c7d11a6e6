package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The task's pause and backoff controller, on the task thread only (the consumer is not thread-safe): partitions
 * fenced by a newer owner (paused for good), partitions paused for a backoff after a failed commit (resumed once it
 * has passed; the backoff grows with each failure until a commit goes through), and every partition while the memory
 * budget is full of bytes waiting for S3.
 */
final class PartitionPauses {

    /** A partition whose commit failed: paused until {@code resumeAtMs} (0 once resumed) and read again. */
    private record Paused(long resumeAtMs, int failures, long committedAtFailure) {
    }

    private final SinkTaskContext context;
    private final long backoffMs;
    private final long backoffMaxMs;
    private final Set<TopicPartition> fenced = new HashSet<>();
    private final Map<TopicPartition, Paused> paused = new HashMap<>();
    private final Set<TopicPartition> budgetPaused = new HashSet<>();

    PartitionPauses(SinkTaskContext context, long backoffMs, long backoffMaxMs) {
        this.context = context;
        this.backoffMs = backoffMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    /** A newer owner fenced this task off the partition: its records are dropped until it is revoked. */
    void fence(TopicPartition tp) {
        fenced.add(tp);
        context.pause(tp);
    }

    boolean isFenced(TopicPartition tp) {
        return fenced.contains(tp);
    }

    /** Partitions whose records are dropped. */
    Set<TopicPartition> fenced() {
        return fenced;
    }

    /**
     * A commit of the partition failed: pauses it for a backoff that grows with each failure since its last commit.
     * @param committedNext the partition's committed offset at the failure
     * @return the backoff in ms
     */
    long pauseAfterFailure(TopicPartition tp, long nowMs, long committedNext) {
        Paused before = paused.get(tp);
        int failures = before == null ? 1 : before.failures() + 1;
        long max = Math.min(backoffMaxMs, backoffMs << Math.min(failures - 1, 20));
        // Full jitter: tasks that failed together do not retry together.
        long backoff = ThreadLocalRandom.current().nextLong(Math.max(1, max / 2), Math.max(2, max + 1));
        context.pause(tp);
        paused.put(tp, new Paused(nowMs + backoff, failures, committedNext));
        return backoff;
    }

    /** Resumes the partitions whose backoff has passed (their failure count stays until a commit goes through). */
    void resumeDue(long nowMs) {
        List<TopicPartition> resume = new ArrayList<>();
        paused.forEach((tp, p) -> {
            if (nowMs >= p.resumeAtMs() && p.resumeAtMs() > 0) {
                resume.add(tp);
            }
        });
        for (TopicPartition tp : resume) {
            Paused p = paused.get(tp);
            paused.put(tp, new Paused(0, p.failures(), p.committedAtFailure()));
            context.resume(tp);
        }
    }

    /** The partition committed up to {@code next}: after a failure, the next one backs off from the start again. */
    void committed(TopicPartition tp, long next) {
        Paused p = paused.get(tp);
        if (p != null && p.resumeAtMs() == 0 && next > p.committedAtFailure()) {
            paused.remove(tp);
        }
    }

    /** Pauses every assigned partition not paused for the budget yet; true when it paused some. */
    boolean pauseForBudget(Collection<TopicPartition> assigned) {
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.removeAll(budgetPaused);
        if (all.isEmpty()) {
            return false;
        }
        budgetPaused.addAll(all);
        context.pause(all.toArray(new TopicPartition[0]));
        return true;
    }

    /** Resumes what the budget paused, except partitions in a backoff; true when some were paused for the budget. */
    boolean resumeAfterBudget() {
        if (budgetPaused.isEmpty()) {
            return false;
        }
        Set<TopicPartition> again = new HashSet<>(budgetPaused);
        again.removeIf(paused::containsKey);
        budgetPaused.clear();
        if (!again.isEmpty()) {
            context.resume(again.toArray(new TopicPartition[0]));
        }
        return true;
    }

    /** The partition was (re)opened: a fence or backoff of an earlier ownership is over. */
    void opened(TopicPartition tp) {
        fenced.remove(tp);
        paused.remove(tp);
    }

    /** The partition was revoked. */
    void forget(TopicPartition tp) {
        fenced.remove(tp);
        paused.remove(tp);
        budgetPaused.remove(tp);
    }
}
