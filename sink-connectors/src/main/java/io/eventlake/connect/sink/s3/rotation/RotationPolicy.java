package io.eventlake.connect.sink.s3.rotation;

/**
 * When a Kafka partition's batch is committed (its files closed, uploaded and its offset made durable), and when a
 * file of the batch is closed early for a new one:
 * <ul>
 *   <li>{@code flushSize}: the batch has handled this many records;</li>
 *   <li>{@code wallclockIntervalMs} (0 = off): the batch's first record was buffered this long ago by the wall
 *       clock: bounds how stale the lake can get, also on a quiet topic;</li>
 *   <li>{@code eventTimeIntervalMs} (0 = off): the batch's records span this much event time (like Confluent's
 *       {@code rotate.interval.ms}): files hold bounded windows of event time even when replaying a backlog;</li>
 *   <li>{@code fileBytes} (0 = off): a file this large is closed and the batch goes on in a new file.</li>
 * </ul>
 */
public final class RotationPolicy {

    private final int flushSize;
    private final long wallclockIntervalMs;
    private final long eventTimeIntervalMs;
    private final long fileBytes;

    public RotationPolicy(int flushSize, long wallclockIntervalMs, long eventTimeIntervalMs, long fileBytes) {
        if (flushSize < 1 || wallclockIntervalMs < 0 || eventTimeIntervalMs < 0 || fileBytes < 0) {
            throw new IllegalArgumentException("flushSize must be >= 1, the intervals and file bytes >= 0");
        }
        this.flushSize = flushSize;
        this.wallclockIntervalMs = wallclockIntervalMs;
        this.eventTimeIntervalMs = eventTimeIntervalMs;
        this.fileBytes = fileBytes;
    }

    public boolean dueBySize(long handledRecords) {
        return handledRecords >= flushSize;
    }

    /** For a batch with records buffered since {@code firstBufferedAtMs} (wall clock). */
    public boolean dueByWallclock(long firstBufferedAtMs, long nowMs) {
        return wallclockIntervalMs > 0 && nowMs - firstBufferedAtMs >= wallclockIntervalMs;
    }

    /** Milliseconds until the wall-clock rotation of a batch buffered since {@code firstBufferedAtMs}. */
    public long wallclockDueInMs(long firstBufferedAtMs, long nowMs) {
        return wallclockIntervalMs <= 0 ? Long.MAX_VALUE
            : Math.max(0, firstBufferedAtMs + wallclockIntervalMs - nowMs);
    }

    /** True when a record at {@code timeMs} would stretch the batch's event-time span to the interval or beyond. */
    public boolean dueByEventTime(long minTimeMs, long maxTimeMs, long timeMs) {
        return eventTimeIntervalMs > 0
            && Math.max(maxTimeMs, timeMs) - Math.min(minTimeMs, timeMs) >= eventTimeIntervalMs;
    }

    public boolean fileFull(long bytes) {
        return fileBytes > 0 && bytes >= fileBytes;
    }

    public long wallclockIntervalMs() {
        return wallclockIntervalMs;
    }
}
