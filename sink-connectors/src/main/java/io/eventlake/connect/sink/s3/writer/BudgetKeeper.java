package io.eventlake.connect.sink.s3.writer;

import java.util.Collection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a task within its {@link MemoryBudget}, on the write loop: measures the open batches of the partitions
 * written to; while the task is over budget, spills the largest partition's open files to disk (or, when spilling is
 * off or full and open files alone pass the budget, commits that batch early); when bytes waiting for S3 fill the
 * rest, waits for uploads a while and then reports the budget {@link #full()}, for the task thread to pause
 * consumption until uploads catch up.
 */
final class BudgetKeeper {

    private static final Logger log = LoggerFactory.getLogger(BudgetKeeper.class);

    private final MemoryBudget budget;
    private final long waitMs;
    private final Runnable onFull;
    private volatile boolean full;

    /**
     * @param waitMs how long the write loop waits for uploads before it reports the budget full
     * @param onFull called (on the write loop) when it does: the task thread has work to do
     */
    BudgetKeeper(MemoryBudget budget, long waitMs, Runnable onFull) {
        this.budget = budget;
        this.waitMs = waitMs;
        this.onFull = onFull;
    }

    /**
     * Measures the partitions written to, then frees memory while over budget; {@code all} are the candidates. Open
     * files are spilled first (that frees heap at once, and the file stays whole). When nothing more can spill and the
     * open files alone fit, the bytes on their way to S3 fill the rest: committing more files early would not free
     * memory now (their bytes would wait for S3 too) and would only make small files, so the loop waits for uploads.
     * Only when open files alone pass the budget is the largest partition's batch committed early.
     */
    void keepWithin(Collection<PartitionWriter> touched, Collection<PartitionWriter> all) {
        for (PartitionWriter w : touched) {
            w.measure();
        }
        while (budget.overBudget()) {
            PartitionWriter largest = null;
            long largestBytes = 0;
            for (PartitionWriter w : all) {
                long bytes = w.measuredBytes();
                if (bytes > largestBytes && w.hasOpenBatch()) {
                    largest = w;
                    largestBytes = bytes;
                }
            }
            if (largest != null && largest.spill() > 0) {
                log.debug("Memory budget of {} bytes reached; spilled {} ({} bytes open) to disk", budget.limitBytes(),
                    largest.topicPartition(), largestBytes);
                if (largest.measure() < largestBytes) {
                    continue;
                }
            }
            if (largest == null || budget.openBytes() <= budget.limitBytes()) {
                break;
            }
            log.debug("Memory budget of {} bytes reached by open files; committing {} early ({} bytes open)",
                budget.limitBytes(), largest.topicPartition(), largestBytes);
            largest.seal();
            if (largest.measure() >= largestBytes) {
                // Neither spilling nor sealing freed anything (a failed batch): stop rather than loop.
                break;
            }
        }
        if (budget.overBudget()) {
            waitForUploads();
        }
    }

    private void waitForUploads() {
        if (full) {
            // Consumption is paused already: the records Connect delivered before go on being written, a batch's
            // worth over the budget at most, rather than holding the task thread (and the consumer's poll) here.
            return;
        }
        try {
            if (budget.awaitInFlightAtMost(Math.max(0, budget.limitBytes() - budget.openBytes()), waitMs)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // Uploads are slower than the input: the task thread stops consuming until they catch up.
        full = true;
        onFull.run();
    }

    /** Whether the task thread should pause every partition (bytes waiting for S3 fill the budget). */
    boolean full() {
        return full;
    }

    /** The task thread resumed consumption: uploads caught up. */
    void clearFull() {
        full = false;
    }

    /**
     * Whether uploads caught up enough to resume consumption: the bytes waiting for S3 take at most half the room the
     * open files leave (all of it gone when open files fill the budget: they are committed early as records come).
     */
    boolean caughtUp() {
        return budget.inFlightBytes() <= Math.max(0, budget.limitBytes() - budget.openBytes()) / 2;
    }
}
