package io.eventlake.transforms.fraud.state;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of one kind (users, cards, merchants) with the state every rule keeps for each: one map entry per key
 * holding one slot per rule ({@link KeyedStore} is a rule's view of its slot), each slot with the latest event time
 * it was used at. Bounded in two ways: at most {@code maxKeys} keys, the least recently used evicted first (as a
 * CLOCK approximates it: keys in arrival order, a key read since it reached the old end moved back), and a key
 * idle for longer than the longest TTL of its slots (behind the largest event time seen, the watermark) is dropped,
 * lazily: when it reaches the least recently used end (checked every {@value #SWEEP_EVERY} lookups). A slot idle for
 * longer than its own TTL starts afresh when it is next used. Time is event time only, so a replay of the same
 * records evicts the same keys.
 *
 * <p>Sharing the entry is what makes several rules on one key cheap: the rules after the first that ask for the same
 * key object (the same field value of the same record) find the entry without a hash lookup. Not thread-safe: one
 * task thread owns it.
 */
public final class KeyTable {

    /**
     * Every this many lookups, up to twice as many idle keys are dropped from the least recently used end: two per
     * lookup on average, so each access stays O(1), without touching the (cold) oldest entry on every lookup.
     */
    static final int SWEEP_EVERY = 16;
    private static final int SWEEP_MAX = 2 * SWEEP_EVERY;

    private final int maxKeys;
    private final LinkedHashMap<Object, Entry> entries;
    private long ttlMs;
    private int slots;
    private long watermark = Long.MIN_VALUE;
    private long evictions;
    private long expirations;
    private int lookups;
    private Object lastKey;
    private Entry last;

    /** The slots of one key: each slot's state and the latest event time it was used at. */
    static final class Entry {
        Object[] states;
        long[] seen;
        long lastSeenMs;
        /** Read since it last reached the old end: it gets a second chance there instead of being dropped. */
        boolean referenced;

        Entry(int slots, long timeMs) {
            this.states = new Object[slots];
            this.seen = new long[slots];
            this.lastSeenMs = timeMs;
        }

        void grow(int slot) {
            if (slot >= states.length) {
                states = Arrays.copyOf(states, slot + 1);
                seen = Arrays.copyOf(seen, slot + 1);
            }
        }
    }

    public KeyTable(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.maxKeys = maxKeys;
        this.entries = new LinkedHashMap<>(Math.min(maxKeys, 1 << 16));
    }

    /** Adds a slot whose state is dropped after {@code slotTtlMs} idle; returns its index. */
    int addSlot(long slotTtlMs) {
        if (slotTtlMs < 1) {
            throw new IllegalArgumentException("ttlMs must be positive");
        }
        ttlMs = Math.max(ttlMs, slotTtlMs);
        return slots++;
    }

    /** The entry of {@code key}, made when the key is new; marks it as seen at {@code timeMs}. */
    Entry entry(Object key, long timeMs) {
        if (timeMs > watermark) {
            watermark = timeMs;
        }
        Entry e;
        if (key == lastKey && last != null) {
            e = last;
        } else {
            if (++lookups == SWEEP_EVERY) {
                lookups = 0;
                sweep();
            }
            e = entries.get(key);
            if (e == null) {
                e = new Entry(slots, timeMs);
                entries.put(key, e);
                if (entries.size() > maxKeys) {
                    evictOne(e);
                }
            } else {
                e.referenced = true;
            }
            lastKey = key;
            last = e;
        }
        if (timeMs > e.lastSeenMs) {
            e.lastSeenMs = timeMs;
        }
        return e;
    }

    /** The entry of {@code key} if it is held, else null; changes nothing but recency. */
    Entry peek(Object key) {
        return key == lastKey && last != null ? last : entries.get(key);
    }

    /** True when the slot's state was last used longer than {@code slotTtlMs} behind the watermark. */
    boolean idle(Entry e, int slot, long slotTtlMs) {
        return watermark != Long.MIN_VALUE && e.seen[slot] < watermark - slotTtlMs;
    }

    void expired() {
        expirations++;
    }

    /**
     * Drops up to {@link #SWEEP_MAX} idle keys from the old end, stopping at the first key that is not idle; that key
     * moves to the new end if it was read since it got to the old end (its second chance), so the next sweep looks
     * past it.
     */
    private void sweep() {
        for (int i = 0; i < SWEEP_MAX && !entries.isEmpty(); i++) {
            Map.Entry<Object, Entry> oldest = entries.entrySet().iterator().next();
            Entry e = oldest.getValue();
            if (watermark == Long.MIN_VALUE || e.lastSeenMs >= watermark - ttlMs) {
                if (e.referenced) {
                    requeue(oldest.getKey(), e);
                }
                return;
            }
            remove(oldest.getKey(), e);
            expirations++;
        }
    }

    /**
     * The table is full: drops the key at the old end that has not been read since it got there, giving each read
     * key on the way a second chance at the new end (CLOCK, an approximation of least recently used that costs a
     * read nothing).
     */
    private void evictOne(Entry added) {
        while (true) {
            Map.Entry<Object, Entry> oldest = entries.entrySet().iterator().next();
            Entry e = oldest.getValue();
            if (e.referenced || e == added) {
                requeue(oldest.getKey(), e);
            } else {
                remove(oldest.getKey(), e);
                evictions++;
                return;
            }
        }
    }

    private void requeue(Object key, Entry e) {
        e.referenced = false;
        entries.remove(key);
        entries.put(key, e);
    }

    private void remove(Object key, Entry e) {
        entries.remove(key);
        if (e == last) {
            last = null;
            lastKey = null;
        }
    }

    public int size() {
        return entries.size();
    }

    public long watermark() {
        return watermark;
    }

    /** Keys dropped because the table was full. */
    public long evictions() {
        return evictions;
    }

    /** Keys dropped, or slots started afresh, because they were idle longer than their TTL. */
    public long expirations() {
        return expirations;
    }

    public void clear() {
        entries.clear();
        last = null;
        lastKey = null;
    }
}
