package io.eventlake.connect.source.http.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where accepted requests wait for the task's {@code poll()}, and the byte budget that bounds the memory of every
 * request being read, parsed, queued or awaiting its acknowledgement ({@code http.buffer.max.bytes}). A request
 * leaves the queue exactly once: handed to Connect by {@link #take}, or withdrawn by {@link #withdraw} or
 * {@link #close}, whichever comes first, so "withdrawn" always means "not one of its events reached Kafka".
 */
public final class IngestBuffer {

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<IngestRequest> queue = new ArrayDeque<>();
    private long bytes;
    private boolean closed;
    private volatile long lastTakeNanos = System.nanoTime();

    public IngestBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Reserves {@code n} bytes of the budget; false when they do not fit or the buffer is closed. */
    public boolean reserve(long n) {
        lock.lock();
        try {
            if (closed || bytes + n > maxBytes) {
                return false;
            }
            bytes += n;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void release(long n) {
        lock.lock();
        try {
            bytes -= n;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a request for the task; false when the buffer is closed (the task is stopping). */
    public boolean submit(IngestRequest request) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            queue.addLast(request);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands whole requests to the task, oldest first, until they hold at least {@code maxEvents} events (one
     * request at least), waiting up to {@code waitMs} for the first.
     * @return the requests, empty when none came in time
     */
    public List<IngestRequest> take(int maxEvents, long waitMs) throws InterruptedException {
        lastTakeNanos = System.nanoTime();
        lock.lock();
        try {
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (queue.isEmpty() && !closed) {
                if (waitNanos <= 0) {
                    return List.of();
                }
                waitNanos = notEmpty.awaitNanos(waitNanos);
            }
            List<IngestRequest> taken = new ArrayList<>();
            int events = 0;
            while (!queue.isEmpty() && (taken.isEmpty() || events + queue.peekFirst().size() <= maxEvents)) {
                IngestRequest r = queue.pollFirst();
                taken.add(r);
                events += r.size();
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the request out of the queue; false when it was handed to the task already (or never queued). */
    public boolean withdraw(IngestRequest request) {
        lock.lock();
        try {
            return queue.remove(request);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further requests and withdraws every queued one. */
    public List<IngestRequest> close() {
        lock.lock();
        try {
            closed = true;
            List<IngestRequest> withdrawn = new ArrayList<>(queue);
            queue.clear();
            notEmpty.signalAll();
            return withdrawn;
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds since the task last asked for requests. */
    public long millisSinceTake() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastTakeNanos);
    }
}
