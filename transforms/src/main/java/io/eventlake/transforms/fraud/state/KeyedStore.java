package io.eventlake.transforms.fraud.state;

import java.util.function.Supplier;

/**
 * One rule's state per key (a user, a card, a merchant): its slot in a {@link KeyTable} that the rules keyed by the
 * same kind of key share, so one event costs one lookup per kind of key rather than one per rule. The table bounds
 * the keys ({@code maxKeys}, least recently used evicted first); this slot's state of a key idle for longer than
 * {@code ttlMs} of event time (behind the largest event time seen) starts afresh. Not thread-safe: one task thread
 * owns it.
 *
 * @param <S> the state of one key
 */
public final class KeyedStore<S extends KeyedState> {

    private final KeyTable table;
    private final int slot;
    private final long ttlMs;
    private final Supplier<S> factory;

    /** A store with a table of its own. */
    public KeyedStore(int maxKeys, long ttlMs, Supplier<S> factory) {
        this(new KeyTable(maxKeys), ttlMs, factory);
    }

    /** A slot in a shared table. */
    public KeyedStore(KeyTable table, long ttlMs, Supplier<S> factory) {
        this.table = table;
        this.slot = table.addSlot(ttlMs);
        this.ttlMs = ttlMs;
        this.factory = factory;
    }

    /**
     * The state of {@code key} at event time {@code timeMs}, made when the key is new or its state has expired;
     * marks the key as seen at {@code timeMs} (a late event does not move its last-seen time back).
     */
    public S get(Object key, long timeMs) {
        long[] h = hashed(key);
        return get(h[0], h[1], timeMs);
    }

    /** {@link #get(Object, long)} for a key already hashed with {@link KeyHash#of} and {@link KeyHash#check}. */
    public S get(long keyHash, long keyCheck, long timeMs) {
        return state(table.entry(keyHash, keyCheck, timeMs), timeMs);
    }

    /**
     * The state of {@code key}, made when new or expired, marked as seen at {@code timeMs}, without moving the table's
     * event time: for data read ahead of the events (reports), whose own times must not expire the keys the events
     * still need. The table's event time moves with {@link #advance}.
     */
    public S getWithoutAdvancing(Object key, long timeMs) {
        long[] h = hashed(key);
        return state(table.entryAt(h[0], h[1], timeMs), timeMs);
    }

    /** Moves the table's event time to {@code timeMs} if later: keys idle longer than their TTL behind it expire. */
    public void advance(long timeMs) {
        table.advance(timeMs);
    }

    @SuppressWarnings("unchecked")
    private S state(KeyTable.Entry e, long timeMs) {
        e.grow(slot);
        KeyedState state = e.states[slot];
        if (state == null || table.idle(state, ttlMs)) {
            if (state != null) {
                table.expired();
            }
            state = factory.get();
            state.seenMs = timeMs;
            e.states[slot] = state;
        } else if (timeMs > state.seenMs) {
            state.seenMs = timeMs;
        }
        return (S) state;
    }

    /** The state of {@code key} if it is held and not expired, else null; changes nothing. */
    public S peek(Object key) {
        long[] h = hashed(key);
        return peek(h[0], h[1]);
    }

    /** {@link #peek(Object)} for a key already hashed with {@link KeyHash#of} and {@link KeyHash#check}. */
    @SuppressWarnings("unchecked")
    public S peek(long keyHash, long keyCheck) {
        KeyTable.Entry e = table.peek(keyHash, keyCheck);
        if (e == null || slot >= e.states.length) {
            return null;
        }
        KeyedState state = e.states[slot];
        return state == null || table.idle(state, ttlMs) ? null : (S) state;
    }

    /** Keys held in the table (by any of its slots). */
    public int size() {
        return table.size();
    }

    public long watermark() {
        return table.watermark();
    }

    /** Keys dropped because the table was full. */
    public long evictions() {
        return table.evictions();
    }

    /** Keys dropped, or states started afresh, because they were idle longer than their TTL. */
    public long expirations() {
        return table.expirations();
    }

    /** Drops every key of the table. */
    public void clear() {
        table.clear();
    }

    /** The key's hash and check value, in one SipHash pass. */
    private static long[] hashed(Object key) {
        long[] h = new long[2];
        KeyHash.of(key, h, 0);
        return h;
    }
}
