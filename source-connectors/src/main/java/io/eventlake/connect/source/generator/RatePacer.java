package io.eventlake.connect.source.generator;

/**
 * How many events a task may emit now to keep to {@code eventsPerSecond} since it started; 0 or less means no limit.
 * Pure arithmetic over a start time, so it is tested without sleeping.
 */
final class RatePacer {

    private final double eventsPerSecond;
    private final long startMs;
    private long emitted;

    RatePacer(double eventsPerSecond, long startMs) {
        this.eventsPerSecond = eventsPerSecond;
        this.startMs = startMs;
    }

    /** Events allowed now, at most {@code max}. */
    int allowance(long nowMs, int max) {
        if (eventsPerSecond <= 0) {
            return max;
        }
        long due = (long) Math.floor((nowMs - startMs) * eventsPerSecond / 1000.0) + 1;
        return (int) Math.max(0, Math.min(max, due - emitted));
    }

    void emitted(int count) {
        emitted += count;
    }

    /** Milliseconds until the next event is due. */
    long waitMs(long nowMs) {
        if (eventsPerSecond <= 0) {
            return 0;
        }
        double nextDueAt = startMs + emitted * 1000.0 / eventsPerSecond;
        return Math.max(1, (long) Math.ceil(nextDueAt - nowMs));
    }
}
