package io.eventlake.connect.source.generator;

import io.eventlake.connect.source.generator.scenario.Mix;

/**
 * The event time of each event: the clock at emission (or the simulated clock of its sequence number), less a
 * lateness that is a pure function of the seed and sequence number, for the configured share of late events.
 */
final class EventTimes {

    private static final long LATE_SALT = 0x6C617465L;

    private final long seed;
    private final boolean simulated;
    private final long simulatedStartMs;
    private final double simulatedMsPerEvent;
    private final double lateShare;
    private final long lateMaxMs;

    EventTimes(long seed, boolean simulated, long simulatedStartMs, double simulatedEventsPerSecond, double lateShare,
               long lateMaxMs) {
        this.seed = seed;
        this.simulated = simulated;
        this.simulatedStartMs = simulatedStartMs;
        this.simulatedMsPerEvent = 1000.0 / simulatedEventsPerSecond;
        this.lateShare = lateShare;
        this.lateMaxMs = lateMaxMs;
    }

    static EventTimes of(EventGeneratorConfig c) {
        return new EventTimes(c.seed(), c.simulatedTime(), c.simulatedStartMs(), c.simulatedEventsPerSecond(),
            c.lateShare(), c.lateMaxDelayMs());
    }

    boolean simulated() {
        return simulated;
    }

    long eventTime(long sequence, long nowMs) {
        long base = simulated ? simulatedStartMs + (long) (sequence * simulatedMsPerEvent) : nowMs;
        return base - lateness(sequence);
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
