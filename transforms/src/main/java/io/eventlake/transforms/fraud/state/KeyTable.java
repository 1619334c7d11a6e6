package io.eventlake.transforms.fraud.state;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The keys of one kind (users, cards, merchants) with the state every rule keeps for each: one entry per key holding
 * one slot per rule ({@link KeyedStore} is a rule's view of its slot), each state with the latest event time it was
 * used at ({@link KeyedState}). Keys are held as 64-bit keyed hashes ({@link KeyHash}) in an open-addressing
 * table: a lookup touches two adjacent arrays and the entry, never the key's characters, and the state holds no
 * reference to record data. Each entry also keeps its key's check value ({@link KeyHash#check}), compared when the
 * hashes match: two keys whose 64-bit hashes collide (about n^2 / 2^65 for n keys, 1 in 3.7 billion at 100,000 keys)
 * keep their own entries in one probe chain, and share state only if the checks collide too (n^2 / 2^129); under
 * the secret key nobody can aim for either.
 *
 * <p>Bounded in two ways: at most {@code maxKeys} keys, the least recently used evicted first (as a CLOCK
 * approximates it: keys in arrival order, a key read since it reached the old end moved back instead), and a key idle
 * for longer than the longest TTL of its slots (behind the largest event time seen, the watermark) is dropped,
 * lazily: when it reaches the old end (checked every {@value #SWEEP_EVERY} lookups). A slot idle for longer than its
 * own TTL starts afresh when it is next used. Time is event time only, so a replay of the same records evicts the
 * same keys.
 *
 * <p>The rules after the first that ask for the same key in a row (the rules of one record) find its entry without a
 * lookup. Not thread-safe: one task thread owns it.
 */
public final class KeyTable {

    /**
     * Every this many lookups, up to twice as many idle keys are dropped from the old end: two per lookup on average,
     * so each access stays O(1), without touching the (cold) oldest entry on every lookup.
     */
    static final int SWEEP_EVERY = 64;
    private static final int SWEEP_MAX = 2 * SWEEP_EVERY;
    private static final int MIN_CAPACITY = 64;
    /** The hash that marks an empty cell; a key hashing to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STAND_IN = 1;

    private final int maxKeys;
    private long[] keys;
    private Entry[] cells;
    private int mask;
    private int size;
    /** Every entry once, in arrival order (a read entry re-queued at the tail when it reaches the head). */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private long ttlMs;
    private int slots;
    private long watermark = Long.MIN_VALUE;
    private long evictions;
    private long expirations;
    private int lookups;
    private Entry last;

    /** The slots of one key: each rule's state (which carries the latest event time the rule used it at). */
    static final class Entry {
        final long key;
        final long check;
        KeyedState[] states;
        long lastSeenMs;
        /** Read since it last reached the old end: it gets a second chance there instead of being dropped. */
        boolean referenced;

        Entry(long key, long check, int slots, long timeMs) {
            this.key = key;
            this.check = check;
            this.states = new KeyedState[slots];
            this.lastSeenMs = timeMs;
        }

        void grow(int slot) {
            if (slot >= states.length) {
                states = Arrays.copyOf(states, slot + 1);
            }
        }
    }

    public KeyTable(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.maxKeys = maxKeys;
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        cells = new Entry[capacity];
        mask = capacity - 1;
    }

    /** Adds a slot whose state is dropped after {@code slotTtlMs} idle; returns its index. */
    int addSlot(long slotTtlMs) {
        if (slotTtlMs < 1) {
            throw new IllegalArgumentException("ttlMs must be positive");
        }
        ttlMs = Math.max(ttlMs, slotTtlMs);
        return slots++;
    }

    /**
     * The entry of the key with this hash and check value, made when the key is new; marks it as seen at
     * {@code timeMs}.
     */
    Entry entry(long keyHash, long keyCheck, long timeMs) {
        advance(timeMs);
        return entryAt(keyHash, keyCheck, timeMs);
    }

    /** Moves the table's event time (its watermark) to {@code timeMs} if that is later. */
    void advance(long timeMs) {
        if (timeMs > watermark) {
            watermark = timeMs;
        }
    }

    /**
     * {@link #entry} without moving the table's event time: the key is marked as seen at {@code timeMs}, but which
     * keys are idle stays a matter of the times passed to {@link #advance}.
     */
    Entry entryAt(long keyHash, long keyCheck, long timeMs) {
        long key = keyHash == EMPTY ? ZERO_STAND_IN : keyHash;
        Entry e = last;
        if (e != null && e.key == key && e.check == keyCheck) {
            // The same key again: the other rules of this record (same time), or the key's next record.
            if (timeMs > e.lastSeenMs) {
                e.referenced = true;
            }
        } else {
            if (++lookups == SWEEP_EVERY) {
                lookups = 0;
                sweep();
            }
            int i = indexOf(key, keyCheck);
            if (keys[i] == key) {
                e = cells[i];
                e.referenced = true;
            } else {
                e = new Entry(key, keyCheck, slots, timeMs);
                insertAt(i, e);
                order.addLast(e);
                if (size > maxKeys) {
                    evictOne(e);
                }
            }
            last = e;
        }
        if (timeMs > e.lastSeenMs) {
            e.lastSeenMs = timeMs;
        }
        return e;
    }

    /** The entry of the key with this hash and check value if it is held, else null; changes nothing. */
    Entry peek(long keyHash, long keyCheck) {
        long key = keyHash == EMPTY ? ZERO_STAND_IN : keyHash;
        if (last != null && last.key == key && last.check == keyCheck) {
            return last;
        }
        int i = indexOf(key, keyCheck);
        return keys[i] == key ? cells[i] : null;
    }

    /**
     * The cell holding the key with this hash and check value, or the empty cell where it would go (linear
     * probing; keys whose hashes collide and whose checks differ sit in the same probe chain, each in its cell). The
     * check is read from the entry, which a match reads anyway, so only a hash collision costs a second look.
     */
    private int indexOf(long key, long check) {
        int i = (int) key & mask;
        while (keys[i] != EMPTY && (keys[i] != key || cells[i].check != check)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void insertAt(int i, Entry e) {
        keys[i] = e.key;
        cells[i] = e;
        if (++size > (mask + 1) / 2) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        Entry[] oldCells = cells;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = indexOf(oldKeys[j], oldCells[j].check);
                keys[i] = oldKeys[j];
                cells[i] = oldCells[j];
            }
        }
    }

    /** Removes the entry's key, shifting back the keys that probed past it so every key stays reachable. */
    private void remove(Entry e) {
        int i = indexOf(e.key, e.check);
        if (keys[i] != e.key) {
            return;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == EMPTY) {
                break;
            }
            int home = (int) keys[j] & mask;
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                keys[i] = keys[j];
                cells[i] = cells[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
        cells[i] = null;
        size--;
        if (e == last) {
            last = null;
        }
    }

    /** True when the state was last used longer than {@code slotTtlMs} behind the watermark. */
    boolean idle(KeyedState state, long slotTtlMs) {
        return watermark != Long.MIN_VALUE && state.seenMs < watermark - slotTtlMs;
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
        for (int n = 0; n < SWEEP_MAX && !order.isEmpty(); n++) {
            Entry e = order.peekFirst();
            if (watermark == Long.MIN_VALUE || e.lastSeenMs >= watermark - ttlMs) {
                if (e.referenced) {
                    e.referenced = false;
                    order.addLast(order.pollFirst());
                }
                return;
            }
            order.pollFirst();
            remove(e);
            expirations++;
        }
    }

    /**
     * The table is full: drops the key at the old end that has not been read since it got there, giving each read
     * key on the way (and the one just added) a second chance at the new end: CLOCK, an approximation of least
     * recently used that costs a read nothing.
     */
    private void evictOne(Entry added) {
        while (true) {
            Entry e = order.pollFirst();
            if (e.referenced || e == added) {
                e.referenced = false;
                order.addLast(e);
            } else {
                remove(e);
                evictions++;
                return;
            }
        }
    }

    public int size() {
        return size;
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
        allocate(MIN_CAPACITY);
        order.clear();
        size = 0;
        last = null;
    }
}
