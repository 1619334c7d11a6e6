package io.eventlake.connect.source.generator;

/**
 * A token bucket that keeps a task to its rate: tokens accrue at {@code eventsPerSecond} times the shape's factor,
 * and the bucket holds at most {@code catchupMaxMs} worth of them, so after a stall the task catches up with at
 * most that many milliseconds of events at once instead of everything it missed. A rate of 0 means no limit. Pure
 * arithmetic over the times it is given, so it is tested without sleeping.
 */
final class RatePacer {

    private final double eventsPerSecond;
    private final RateShape shape;
    private final double catchupMaxMs;
    private double tokens;
    private long lastMs;

    RatePacer(double eventsPerSecond, RateShape shape, long catchupMaxMs, long startMs) {
        this.eventsPerSecond = eventsPerSecond;
        this.shape = shape;
        this.catchupMaxMs = catchupMaxMs;
        this.lastMs = startMs;
        this.tokens = 1;
    }

    RatePacer(double eventsPerSecond, long startMs) {
        this(eventsPerSecond, RateShape.FLAT, 1000, startMs);
    }

    /** Events allowed now, at most {@code max}. */
    int allowance(long nowMs, int max) {
        if (eventsPerSecond <= 0) {
            return max;
        }
        refill(nowMs);
        return (int) Math.min(max, Math.floor(tokens));
    }

    void emitted(int count) {
        if (eventsPerSecond > 0) {
            tokens -= count;
        }
    }

    /** Milliseconds until the next event is due (at least 1). */
    long waitMs(long nowMs) {
        if (eventsPerSecond <= 0) {
            return 0;
        }
        refill(nowMs);
        double perMs = rateAt(nowMs) / 1000.0;
        return Math.max(1, (long) Math.ceil((1 - tokens) / perMs));
    }

    private void refill(long nowMs) {
        if (nowMs > lastMs) {
            double rate = rateAt(nowMs);
            double cap = Math.max(1, rate * catchupMaxMs / 1000.0);
            tokens = Math.min(cap, tokens + rate * (nowMs - lastMs) / 1000.0);
            lastMs = nowMs;
        }
    }

    private double rateAt(long nowMs) {
        return eventsPerSecond * shape.factor(nowMs);
    }
}
