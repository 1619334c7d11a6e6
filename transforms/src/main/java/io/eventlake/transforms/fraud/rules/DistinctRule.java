package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Locale;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.RecentValues;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Fires when a key (a user) has used more than {@code max} distinct values of another role (devices, or cards) in
 * the window of event time ending at the event, the event's own value included. The level is (distinct - 1) / max.
 * State per key: the last max + 1 distinct values as hashes with their last-seen time ({@link RecentValues}).
 */
public final class DistinctRule extends Rule {

    private final Role key;
    private final Role counted;
    private final int max;
    private final long windowMs;
    private final KeyedStore<RecentValues> values;

    public DistinctRule(Role key, Role counted, int max, long windowMs, StateLimits limits, double weight) {
        this(key, counted, max, windowMs, limits, weight, true);
    }

    /**
     * @param nearMisses whether a count short of {@code max} adds evidence ({@link Rule#strength}); without, the rule
     *     adds evidence only when it fires
     */
    public DistinctRule(Role key, Role counted, int max, long windowMs, StateLimits limits, double weight,
                        boolean nearMisses) {
        super(name(counted), weight, nearMisses);
        this.key = key;
        this.counted = counted;
        this.max = max;
        this.windowMs = windowMs;
        this.values = limits.store(key, windowMs, () -> new RecentValues(max + 1));
    }

    /** many_devices, many_cards... */
    public static String name(Role counted) {
        return "many_" + counted.name().toLowerCase(Locale.ROOT) + "s";
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key), Input.of(counted));
    }

    @Override
    public double apply(FraudEvent e) {
        Object k = e.get(key);
        Object v = e.get(counted);
        if (k == null || v == null || !e.hasTime()) {
            return Double.NaN;
        }
        RecentValues recent = values.get(e.hash(key), e.check(key), e.timeMs());
        recent.add(e.hash(counted), e.timeMs());
        int distinct = recent.distinctIn(e.timeMs() - windowMs, e.timeMs());
        return (distinct - 1) / (double) max;
    }

    @Override
    public void clear() {
        values.clear();
    }

    @Override
    public int keys() {
        return values.size();
    }
}
