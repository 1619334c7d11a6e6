package io.eventlake.connect.sink.s3.rotation;

/**
 * When a Kafka partition's buffered files are closed and committed: at {@code flushSize} records, or once the
 * first buffered record has waited {@code rotateIntervalMs} of wall-clock time (0 disables the clock).
 */
public final class RotationPolicy {

    private final int flushSize;
    private final long rotateIntervalMs;

    public RotationPolicy(int flushSize, long rotateIntervalMs) {
        if (flushSize < 1 || rotateIntervalMs < 0) {
            throw new IllegalArgumentException("flushSize must be >= 1 and rotateIntervalMs >= 0");
        }
        this.flushSize = flushSize;
        this.rotateIntervalMs = rotateIntervalMs;
    }

    public boolean dueBySize(long bufferedRecords) {
        return bufferedRecords >= flushSize;
    }

    /** For a partition with work buffered since {@code firstBufferedAtMs}. */
    public boolean dueByTime(long firstBufferedAtMs, long nowMs) {
        return rotateIntervalMs > 0 && nowMs - firstBufferedAtMs >= rotateIntervalMs;
    }
}
