package io.eventlake.transforms.fraud.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * State per key (a user, a card, a merchant), bounded in two ways: at most {@code maxKeys} keys, the least recently
 * used evicted first, and a key idle for longer than {@code ttlMs} of event time (behind the largest event time seen,
 * the watermark) is dropped, lazily: when it is next read, or when it reaches the least recently used end. Time is
 * event time only, so a replay of the same records evicts the same keys. Not thread-safe: one task thread owns it.
 *
 * @param <S> the state of one key
 */
public final class KeyedStore<S> {

    /** How many idle keys one access may drop from the least recently used end; keeps each access O(1). */
    private static final int SWEEP_PER_ACCESS = 2;

    private final int maxKeys;
    private final long ttlMs;
    private final Supplier<S> factory;
    private final LinkedHashMap<Object, Slot<S>> slots;
    private long watermark = Long.MIN_VALUE;
    private long evictions;
    private long expirations;

    private static final class Slot<S> {
        S state;
        long lastSeenMs;

        Slot(S state, long lastSeenMs) {
            this.state = state;
            this.lastSeenMs = lastSeenMs;
        }
    }

    public KeyedStore(int maxKeys, long ttlMs, Supplier<S> factory) {
        if (maxKeys < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("maxKeys and ttlMs must be positive");
        }
        this.maxKeys = maxKeys;
        this.ttlMs = ttlMs;
        this.factory = factory;
        this.slots = new LinkedHashMap<>(Math.min(maxKeys, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Slot<S>> eldest) {
                if (size() > KeyedStore.this.maxKeys) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * The state of {@code key} at event time {@code timeMs}, made when the key is new or its state has expired;
     * marks the key as seen at {@code timeMs} (a late event does not move its last-seen time back).
     */
    public S get(Object key, long timeMs) {
        if (timeMs > watermark) {
            watermark = timeMs;
        }
        sweep();
        Slot<S> slot = slots.get(key);
        if (slot == null) {
            slot = new Slot<>(factory.get(), timeMs);
            slots.put(key, slot);
        } else if (expired(slot)) {
            expirations++;
            slot.state = factory.get();
            slot.lastSeenMs = timeMs;
        } else if (timeMs > slot.lastSeenMs) {
            slot.lastSeenMs = timeMs;
        }
        return slot.state;
    }

    /** The state of {@code key} if it is held and not expired, else null; changes nothing but recency. */
    public S peek(Object key) {
        Slot<S> slot = slots.get(key);
        return slot == null || expired(slot) ? null : slot.state;
    }

    private boolean expired(Slot<S> slot) {
        return watermark != Long.MIN_VALUE && slot.lastSeenMs < watermark - ttlMs;
    }

    private void sweep() {
        Iterator<Slot<S>> it = slots.values().iterator();
        for (int i = 0; i < SWEEP_PER_ACCESS && it.hasNext(); i++) {
            if (!expired(it.next())) {
                return;
            }
            it.remove();
            expirations++;
        }
    }

    public int size() {
        return slots.size();
    }

    public long watermark() {
        return watermark;
    }

    /** Keys dropped because the store was full. */
    public long evictions() {
        return evictions;
    }

    /** Keys dropped because they were idle longer than the TTL. */
    public long expirations() {
        return expirations;
    }

    public void clear() {
        slots.clear();
    }
}
