package io.eventlake.connect.sink.s3.rotation;

/**
 * When a Kafka partition's batch is committed (its files closed, uploaded and its offset made durable), and when a
 * file of the batch is closed early for a new one:
 * <ul>
 *   <li>{@code flushSize}: the batch has handled this many records;</li>
 *   <li>{@code wallclockIntervalMs} (0 = off): the batch's first record was buffered this long ago by the wall
 *       clock (or, {@link #alignedToClock() aligned}, the next multiple of the interval has passed): bounds how
 *       stale the lake can get, also on a quiet topic;</li>
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
    private final boolean aligned;

    public RotationPolicy(int flushSize, long wallclockIntervalMs, long eventTimeIntervalMs, long fileBytes) {
        this(flushSize, wallclockIntervalMs, eventTimeIntervalMs, fileBytes, false);
    }

    private RotationPolicy(int flushSize, long wallclockIntervalMs, long eventTimeIntervalMs, long fileBytes,
                           boolean aligned) {
        if (flushSize < 1 || wallclockIntervalMs < 0 || eventTimeIntervalMs < 0 || fileBytes < 0) {
            throw new IllegalArgumentException("flushSize must be >= 1, the intervals and file bytes >= 0");
        }
        this.flushSize = flushSize;
        this.wallclockIntervalMs = wallclockIntervalMs;
        this.eventTimeIntervalMs = eventTimeIntervalMs;
        this.fileBytes = fileBytes;
        this.aligned = aligned;
    }

    /**
     * The same policy with the wall-clock interval aligned to the clock (multiples of the interval since the epoch):
     * a batch is due at the first boundary after its first record, so every partition's batch is due at the same
     * moment and their commits can share one table snapshot. The lake is still at most one interval stale; a batch
     * that starts just before a boundary is smaller.
     */
    public RotationPolicy alignedToClock() {
        return new RotationPolicy(flushSize, wallclockIntervalMs, eventTimeIntervalMs, fileBytes, true);
    }

    public boolean dueBySize(long handledRecords) {
        return handledRecords >= flushSize;
    }

    /** For a batch with records buffered since {@code firstBufferedAtMs} (wall clock). */
    public boolean dueByWallclock(long firstBufferedAtMs, long nowMs) {
        return wallclockIntervalMs > 0 && nowMs >= wallclockDueAtMs(firstBufferedAtMs);
    }

    private long wallclockDueAtMs(long firstBufferedAtMs) {
        return aligned ? Math.floorDiv(firstBufferedAtMs, wallclockIntervalMs) * wallclockIntervalMs
            + wallclockIntervalMs : firstBufferedAtMs + wallclockIntervalMs;
    }

    /** Milliseconds until the wall-clock rotation of a batch buffered since {@code firstBufferedAtMs}. */
    public long wallclockDueInMs(long firstBufferedAtMs, long nowMs) {
        return wallclockIntervalMs <= 0 ? Long.MAX_VALUE : Math.max(0, wallclockDueAtMs(firstBufferedAtMs) - nowMs);
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
