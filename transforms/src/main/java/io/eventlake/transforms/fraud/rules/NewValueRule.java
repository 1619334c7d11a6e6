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
 * Fires when a key (a user) uses a value of another role (a device) it had not used before, once it has used that
 * role {@code minHistory} times: a first-seen device; and it keeps firing for that device for {@code youngMs} after
 * it was first seen, so every charge of a run from a new device counts, not only the first. On its own a weak signal (people change phones), so its
 * default weight does not flag alone. State per key: the last {@code memory} distinct values as hashes
 * ({@link RecentValues}); a key idle for the state TTL starts afresh (and must build its history again).
 */
public final class NewValueRule extends Rule {

    private final Role key;
    private final Role counted;
    private final int minHistory;
    private final long youngMs;
    private final KeyedStore<RecentValues> values;

    public NewValueRule(Role key, Role counted, int minHistory, int memory, long youngMs, StateLimits limits,
                        double weight) {
        super(name(counted), weight);
        this.key = key;
        this.counted = counted;
        this.minHistory = minHistory;
        this.youngMs = youngMs;
        this.values = limits.store(key, 0, () -> new RecentValues(memory));
    }

    /** new_device, new_card... */
    public static String name(Role counted) {
        return "new_" + counted.name().toLowerCase(Locale.ROOT);
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
        long hash = e.hash(counted);
        boolean firstSight = !recent.contains(hash) && recent.events() >= minHistory;
        boolean young = firstSight || recent.novelSince(hash, e.timeMs(), youngMs);
        recent.add(hash, e.timeMs(), firstSight);
        return young ? 1 : 0;
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
