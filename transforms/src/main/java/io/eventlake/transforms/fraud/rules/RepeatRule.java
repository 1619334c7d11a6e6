package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.RecentCharges;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Fires when one key charges more than {@code maxEvents} times at one merchant (or terminal) within the window of
 * event time that ends at the event: a card used again and again at the shop where it was just used is how a
 * compromised terminal or a cloned card is cashed in. The level is (charges in window - 1) / maxEvents. State per
 * key: its latest {@code max(16, 2 x (maxEvents + 1))} charges as time and merchant hash ({@link RecentCharges}),
 * exact while the key has no more charges than that in one window (far more than any velocity limit allows).
 */
public final class RepeatRule extends Rule {

    public static final String NAME = "merchant_repeat";

    private final Role key;
    private final int maxEvents;
    private final long windowMs;
    private final KeyedStore<RecentCharges> charges;
    private int lastCharges = -1;

    public RepeatRule(Role key, int maxEvents, long windowMs, StateLimits limits, double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxEvents = maxEvents;
        this.windowMs = windowMs;
        int capacity = Math.max(16, 2 * (maxEvents + 1));
        this.charges = limits.store(key, windowMs, () -> new RecentCharges(capacity));
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key), Input.MERCHANT);
    }

    @Override
    public double apply(FraudEvent e) {
        lastCharges = -1;
        Object k = e.get(key);
        Object merchant = e.get(Role.MERCHANT);
        if (k == null || merchant == null || !e.hasTime()) {
            return Double.NaN;
        }
        RecentCharges recent = charges.get(e.hash(key), e.check(key), e.timeMs());
        long place = e.hash(Role.MERCHANT);
        recent.add(e.timeMs(), place);
        int inWindow = recent.count(place, e.timeMs() - windowMs, e.timeMs());
        lastCharges = inWindow;
        // A late charge older than every kept one is not kept: it still counts itself.
        return (Math.max(1, inWindow) - 1) / (double) maxEvents;
    }

    /** Charges by the key at the merchant in the window for the event just judged (itself included); -1 if none. */
    int lastCharges() {
        return lastCharges;
    }

    @Override
    public void clear() {
        charges.clear();
    }

    @Override
    public int keys() {
        return charges.size();
    }
}
