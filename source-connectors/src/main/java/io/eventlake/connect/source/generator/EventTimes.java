package io.eventlake.connect.source.generator;

import io.eventlake.connect.source.generator.scenario.Mix;

/**
 * The event time of each event: the clock at emission (or the simulated clock of its sequence number), less a
 * lateness that is a pure function of the seed and sequence number, for the configured share of late events. A
 * simulated clock that must not pass the wall clock ({@code simulated.start=auto}) holds an event back until the wall
 * clock reaches its time.
 */
final class EventTimes {

    private static final long LATE_SALT = 0x6C617465L;

    private final long seed;
    private final boolean simulated;
    private final long simulatedStartMs;
    private final double simulatedMsPerEvent;
    private final double lateShare;
    private final long lateMaxMs;
    private final boolean boundedByWallClock;

    EventTimes(long seed, boolean simulated, long simulatedStartMs, double simulatedEventsPerSecond, double lateShare,
               long lateMaxMs) {
        this(seed, simulated, simulatedStartMs, simulatedEventsPerSecond, lateShare, lateMaxMs, false);
    }

    EventTimes(long seed, boolean simulated, long simulatedStartMs, double simulatedEventsPerSecond, double lateShare,
               long lateMaxMs, boolean boundedByWallClock) {
        this.boundedByWallClock = simulated && boundedByWallClock;
        this.seed = seed;
        this.simulated = simulated;
        this.simulatedStartMs = simulatedStartMs;
        this.simulatedMsPerEvent = 1000.0 / simulatedEventsPerSecond;
        this.lateShare = lateShare;
        this.lateMaxMs = lateMaxMs;
    }

    static EventTimes of(EventGeneratorConfig c, long simulatedStartMs) {
        return new EventTimes(c.seed(), c.simulatedTime(), simulatedStartMs, c.simulatedEventsPerSecond(),
            c.lateShare(), c.lateMaxDelayMs(), c.simulatedAutoStart());
    }

    /** Whether the event of {@code sequence} must wait: its simulated time is still ahead of the wall clock. */
    boolean heldBack(long sequence, long nowMs) {
        return boundedByWallClock && clock(sequence) > nowMs;
    }

    boolean simulated() {
        return simulated;
    }

    long eventTime(long sequence, long nowMs) {
        long base = simulated ? clock(sequence) : nowMs;
        return base - lateness(sequence);
    }

    /**
     * The simulated time of a story's later event: the story's first event time (of {@code firstSequence}, without
     * lateness) plus {@code offsetMs}, but never later than the event's own sequence time.
     */
    long storyTime(long firstSequence, long offsetMs, long sequence) {
        return Math.min(clock(firstSequence) + offsetMs, clock(sequence));
    }

    private long clock(long sequence) {
        return simulatedStartMs + (long) (sequence * simulatedMsPerEvent);
    }

    /** How far behind its emission an event's time is: 0 for on-time events. */
    long lateness(long sequence) {
        if (lateShare <= 0) {
            return 0;
        }
        long h = Mix.mix(seed, LATE_SALT, sequence);
        if (Mix.unit(h) >= lateShare) {
            return 0;
        }
        return 1 + Long.remainderUnsigned(Mix.mix(h), lateMaxMs);
    }
}
