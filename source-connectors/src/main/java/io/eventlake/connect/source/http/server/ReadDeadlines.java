package io.eventlake.connect.source.http.server;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's executor, which bounds how long and how many requests are read. The JDK server reads a request's
 * head, and the handler its body, with blocking reads on the executor's thread, so a client that sends slowly holds a
 * thread for as long as it likes. Here every request gets its own thread from a pool of at most
 * {@code http.read.threads} (a slow client then holds one of many, not one of the few that parse), and a deadline
 * ({@code http.read.timeout.ms}) from its first byte: a request whose head and body have not both arrived by then is
 * cut. Cutting interrupts the reading thread, which closes the connection (the JDK's socket channels are
 * interruptible); nothing of the request was stored. When every read thread is busy, the server closes a new
 * connection at once rather than queue it behind the slow ones.
 */
final class ReadDeadlines implements Executor {

    private static final ThreadLocal<Reading> CURRENT = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final long timeoutMs;
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param coreThreads threads kept while idle
     * @param maxThreads requests read at once
     * @param timeoutMs how long a request may take to arrive, from its first byte
     */
    ReadDeadlines(int coreThreads, int maxThreads, long timeoutMs, ThreadFactory readers, ThreadFactory timerThread) {
        this.pool = new ThreadPoolExecutor(Math.min(coreThreads, maxThreads), maxThreads, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), readers);
        this.timer = new ScheduledThreadPoolExecutor(1, timerThread);
        timer.setRemoveOnCancelPolicy(true);
        this.timeoutMs = timeoutMs;
    }

    /** Runs one exchange of the JDK server (read the head, call the handler) under a deadline. */
    @Override
    public void execute(Runnable exchange) {
        try {
            pool.execute(() -> run(exchange));
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            throw e;
        }
    }

    private void run(Runnable exchange) {
        Reading reading = new Reading(Thread.currentThread());
        ScheduledFuture<?> deadline = timer.schedule(reading::expire, timeoutMs, TimeUnit.MILLISECONDS);
        CURRENT.set(reading);
        try {
            exchange.run();
        } finally {
            CURRENT.remove();
            deadline.cancel(false);
            if (!reading.finish()) {
                cut.incrementAndGet();
                // The interrupt was delivered under the lock that finish() took: clear it before the next exchange.
                Thread.interrupted();
            }
        }
    }

    /**
     * The handler calls this once the body is in: from then on nothing interrupts the thread (parsing and queueing
     * must not be cut half way).
     * @return false when the deadline came first (the connection is closed, the body may be incomplete)
     */
    static boolean bodyRead() {
        Reading reading = CURRENT.get();
        return reading == null || reading.finish();
    }

    /** Requests being read (head or body) right now. */
    int reading() {
        return pool.getActiveCount();
    }

    /** Requests cut at their deadline since the start. */
    long cut() {
        return cut.get();
    }

    /** Connections closed at once because every read thread was busy. */
    long refused() {
        return refused.get();
    }

    /** Stops the read threads, interrupting any still reading. */
    void shutdown() {
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private static final class Reading {
        private final Thread thread;
        private boolean finished;
        private boolean expired;

        Reading(Thread thread) {
            this.thread = thread;
        }

        synchronized void expire() {
            if (!finished && !expired) {
                expired = true;
                thread.interrupt();
            }
        }

        /** @return true when the request was read in time (later calls answer the same) */
        synchronized boolean finish() {
            if (!expired) {
                finished = true;
            }
            return !expired;
        }
    }
}
