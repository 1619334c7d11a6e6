package io.eventlake.transforms.fraud.state;

/**
 * A count of events with exponentially decaying weights in event time (half weight every half-life), kept relative
 * to the latest event time seen, so a late event adds the same weight it would have added in order. 24 bytes.
 */
public final class DecayedCount extends KeyedState {

    private long refMs = Long.MIN_VALUE;
    private double count;

    /**
     * Adds an event at {@code timeMs} and returns the count as seen at that time before it was added (a time before
     * the latest event reads the latest count), with one exponential.
     */
    public double addAndGetBefore(long timeMs, double lnTwoOverHalfLife) {
        if (refMs == Long.MIN_VALUE) {
            refMs = timeMs;
            count = 1;
            return 0;
        }
        if (timeMs > refMs) {
            double before = count * Math.exp(-(timeMs - refMs) * lnTwoOverHalfLife);
            count = before + 1;
            refMs = timeMs;
            return before;
        }
        double before = count;
        count += timeMs == refMs ? 1 : Math.exp(-(refMs - timeMs) * lnTwoOverHalfLife);
        return before;
    }
}
