package io.eventlake.connect.sink.s3.writer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The task's memory for data not yet in S3: open files (their row groups and unsent bytes), as each partition last
 * measured them (after records were written, and whenever its open batch is sealed, spilled or dropped); bytes
 * handed to uploads (parts, sealed files) are held here until the upload is done. When the total passes the budget, the task commits its largest partition early, and waits for uploads
 * when sealed bytes alone fill it.
 */
public final class MemoryBudget {

    private final long limitBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long inFlight;
    private volatile long open;
    private long highWater;

    public MemoryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** A partition's open files were measured again: {@code delta} bytes more (or fewer) than last time. */
    public void openChanged(long delta) {
        if (delta == 0) {
            return;
        }
        lock.lock();
        try {
            open += delta;
            note();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of open files, as last measured (the sum of every partition's last measurement). */
    public long openBytes() {
        return open;
    }

    public void hold(long bytes) {
        lock.lock();
        try {
            inFlight += bytes;
            note();
        } finally {
            lock.unlock();
        }
    }

    public void release(long bytes) {
        lock.lock();
        try {
            inFlight -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long inFlightBytes() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public long usedBytes() {
        return open + inFlightBytes();
    }

    public boolean overBudget() {
        return usedBytes() > limitBytes;
    }

    /** Highest total seen since start: open plus in-flight bytes. */
    public long highWaterBytes() {
        lock.lock();
        try {
            return highWater;
        } finally {
            lock.unlock();
        }
    }

    private void note() {
        lock.lock();
        try {
            highWater = Math.max(highWater, open + inFlight);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until in-flight bytes drop to {@code targetBytes} or less; false on timeout. */
    public boolean awaitInFlightAtMost(long targetBytes, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (inFlight > targetBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                released.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
