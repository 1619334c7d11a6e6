package io.eventlake.transforms.fraud.feedback;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands fraud reports from the feedback consumer's thread to the task thread, which alone touches the rules' state:
 * a bounded queue, drained before each record is judged. Offline tools and tests offer report values here directly:
 * it is the same path the consumer takes once it has decoded a record.
 */
public final class ReportInbox {

    private static final Logger log = LoggerFactory.getLogger(ReportInbox.class);

    private final ReportParser parser;
    private final BlockingQueue<Report> queue;
    /** Reports queued and not yet drained: lets the task thread skip the queue's lock when there are none. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long accepted;
    private volatile long refused;

    public ReportInbox(ReportParser parser, int capacity) {
        this.parser = parser;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Parses a decoded report value and queues it, waiting up to {@code timeoutMs} for room.
     *
     * @return false when the queue stayed full (the caller retries), true when queued or refused as malformed
     */
    public boolean offer(Object reportValue, long timeoutMs) throws InterruptedException {
        // The parser reads what it can and returns null for the rest; it never throws on a value.
        Report report = parser.parse(reportValue);
        if (report == null) {
            skip("without an event time or a reported time (" + parser + ")", String.valueOf(reportValue));
            return true;
        }
        if (!queue.offer(report, timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        pending.incrementAndGet();
        accepted++;
        return true;
    }

    /**
     * Queues a decoded report value on the task thread (offline evaluations and tests feed reports this way): when the
     * queue is full, {@code drain} empties it onto the rules, so this never blocks.
     */
    public void offerOnTaskThread(Object reportValue, Runnable drain) {
        try {
            while (!offer(reportValue, 0)) {
                drain.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a fraud report", e);
        }
    }

    /**
     * Counts a report that cannot be used and logs it at WARN, rate-limited: the 1st, 2nd, 4th, 8th... skipped report,
     * so a topic of bad reports cannot flood the log. Nothing else happens: the reports around it still count.
     */
    public void skip(String why, String what) {
        long n;
        synchronized (this) {
            n = ++refused;
        }
        if (Long.bitCount(n) == 1) {
            String shown = what.length() > 200 ? what.substring(0, 200) + "..." : what;
            log.warn("Fraud report {} skipped ({} skipped so far): {}", why, n, shown);
        }
    }

    /** Passes every queued report to {@code sink}; the task thread calls this before judging a record. */
    public void drainTo(Consumer<Report> sink) {
        if (pending.get() == 0) {
            return;
        }
        Report r;
        while ((r = queue.poll()) != null) {
            pending.decrementAndGet();
            sink.accept(r);
        }
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }
}
