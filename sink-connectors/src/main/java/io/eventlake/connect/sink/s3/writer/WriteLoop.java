package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Moves the Parquet encoding of each {@code put} batch off Connect's task thread, so the worker decodes the next
 * batch (the converter's work) while this thread encodes the last one: on a machine with a spare core the two
 * overlap. Batches are handled one at a time, in order. At most {@code capacity} wait; {@link #submit} blocks
 * beyond that, which is the sink's backpressure. The first failure is kept and every later call throws it, so the
 * task fails as it would have in {@code put}.
 */
final class WriteLoop<T> implements AutoCloseable {

    private final int capacity;
    private final Consumer<T> handler;
    private final Deque<T> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private int inProgress;
    private boolean closed;
    private volatile RuntimeException failure;

    WriteLoop(String name, int capacity, Consumer<T> handler) {
        this.capacity = capacity;
        this.handler = handler;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a batch; blocks while {@code capacity} batches wait. Throws the loop's failure, if any. */
    void submit(T batch) {
        rethrow();
        lock.lock();
        try {
            while (queue.size() >= capacity && failure == null && !closed) {
                changed.awaitUninterruptibly();
            }
            rethrow();
            if (closed) {
                throw new ConnectException("the writer is closed");
            }
            queue.addLast(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued batch has been handled. Throws the loop's failure, if any. */
    void drain() {
        lock.lock();
        try {
            while ((!queue.isEmpty() || inProgress > 0) && failure == null && thread.isAlive()) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        rethrow();
    }

    void rethrow() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void run() {
        while (true) {
            T batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = queue.pollFirst();
                inProgress++;
            } finally {
                lock.unlock();
            }
            try {
                handler.accept(batch);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new ConnectException("the sink's write loop died", e);
                throw e;
            } finally {
                lock.lock();
                try {
                    inProgress--;
                    if (failure != null) {
                        queue.clear();
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
