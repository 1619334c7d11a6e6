package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;
import io.eventlake.transforms.fraud.state.TimeRing;

/**
 * Fires when one key charges more than {@code maxEvents} times at one merchant (or terminal) within the window of
 * event time that ends at the event: a card used again and again at the shop where it was just used is how a
 * compromised terminal or a cloned card is cashed in. The level is (charges in window - 1) / maxEvents. State per
 * (key, merchant) pair: the latest maxEvents + 1 charge times.
 */
public final class RepeatRule extends Rule {

    public static final String NAME = "merchant_repeat";

    private final Role key;
    private final int maxEvents;
    private final long windowMs;
    private final KeyedStore<TimeRing> times;

    public RepeatRule(Role key, int maxEvents, long windowMs, StateLimits limits, double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxEvents = maxEvents;
        this.windowMs = windowMs;
        this.times = limits.store(windowMs, () -> new TimeRing(maxEvents + 1));
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key), Input.MERCHANT);
    }

    @Override
    public double apply(FraudEvent e) {
        Object k = e.get(key);
        Object merchant = e.get(Role.MERCHANT);
        if (k == null || merchant == null || !e.hasTime()) {
            return Double.NaN;
        }
        TimeRing ring = times.get(new Pair(k, merchant), e.timeMs());
        ring.add(e.timeMs());
        int inWindow = ring.count(e.timeMs() - windowMs, e.timeMs());
        return (inWindow - 1) / (double) maxEvents;
    }

    @Override
    public void clear() {
        times.clear();
    }

    @Override
    public int keys() {
        return times.size();
    }

    private record Pair(Object key, Object merchant) {
    }
}
