package io.eventlake.local.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.eventlake.local.stack.ConnectRest;

/**
 * Restarts a task that failed because its exactly-once transaction was aborted under it: the transaction coordinator
 * expired it ({@code transaction.timeout.ms} passed while a slow broker, e.g. one creating thousands of partitions,
 * held the commit), which the producer sees as a bumped epoch. Connect marks such a task FAILED for good and does not
 * restart it; restarting it is safe, because with exactly-once source support nothing of the aborted transaction is
 * visible and the task resumes from the offsets its last committed transaction wrote. A task is restarted at most
 * {@link #MAX_RESTARTS} times per run; any other failure, or one more, is reported as before.
 */
final class TransactionRestarts {

    /** Restarts per task before its failure is reported. */
    static final int MAX_RESTARTS = 3;
    /** After a restart, a FAILED status of the task is taken as stale for this long (the status topic lags). */
    static final long GRACE_MS = 15_000;

    private final ConnectRest rest;
    private final PrintStream out;
    private final LongSupplier clock;
    private final Map<String, int[]> restarts = new HashMap<>();
    private final Map<String, Long> lastRestart = new HashMap<>();

    TransactionRestarts(ConnectRest rest, PrintStream out, LongSupplier clock) {
        this.rest = rest;
        this.out = out;
        this.clock = clock;
    }

    /**
     * Restarts the connector's failed tasks whose transaction was aborted (within their budget).
     * @return the first failure to report, or null
     */
    String failure(String connector) throws IOException, InterruptedException {
        long now = clock.getAsLong();
        for (ConnectRest.FailedTask task : rest.failures(connector)) {
            if (task.id() == ConnectRest.FailedTask.CONNECTOR) {
                return task.toString();
            }
            String key = connector + "/" + task.id();
            Long last = lastRestart.get(key);
            if (last != null && now - last < GRACE_MS) {
                continue;
            }
            int[] count = restarts.computeIfAbsent(key, k -> new int[1]);
            if (!task.transactionAborted() || count[0] >= MAX_RESTARTS) {
                return connector + " task " + task.id() + (count[0] > 0 ? " (restarted " + count[0] + " times)" : "")
                    + ": " + task.trace();
            }
            count[0]++;
            lastRestart.put(key, now);
            out.printf("%s task %d: its transaction was aborted under it (%s); restarting it (%d of %d), it resumes "
                + "from its last committed transaction%n", connector, task.id(), firstLine(task.trace()), count[0],
                MAX_RESTARTS);
            rest.restartTask(connector, task.id());
        }
        return null;
    }

    private static String firstLine(String trace) {
        int end = trace.indexOf('\n');
        return end < 0 ? trace : trace.substring(0, end);
    }
}
