package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;
import io.eventlake.transforms.fraud.state.TimeRing;

/**
 * Fires when a key has more than {@code maxEvents} events in the window of event time that ends at the event (the
 * event included). The level is (events in window - 1) / maxEvents. State per key: the latest maxEvents + 1 event
 * times ({@link TimeRing}), enough to tell "more than maxEvents" in any window ending at a newer event.
 */
public final class VelocityRule extends Rule {

    public static final String NAME = "velocity";

    private final Role key;
    private final int maxEvents;
    private final long windowMs;
    private final KeyedStore<TimeRing> times;

    public VelocityRule(Role key, int maxEvents, long windowMs, StateLimits limits, double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxEvents = maxEvents;
        this.windowMs = windowMs;
        this.times = limits.store(key, windowMs, () -> new TimeRing(maxEvents + 1));
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key));
    }

    @Override
    public double apply(FraudEvent e) {
        Object k = e.get(key);
        if (k == null || !e.hasTime()) {
            return Double.NaN;
        }
        TimeRing ring = times.get(e.hash(key), e.check(key), e.timeMs());
        ring.add(e.timeMs());
        int inWindow = ring.count(e.timeMs() - windowMs, e.timeMs());
        // A late event older than every kept time is not kept: it still counts itself.
        return (Math.max(1, inWindow) - 1) / (double) maxEvents;
    }

    @Override
    public void clear() {
        times.clear();
    }

    @Override
    public int keys() {
        return times.size();
    }

    KeyedStore<TimeRing> store() {
        return times;
    }
}
