package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Rules keyed by one kind of key share a table: one entry per key, one slot per rule, each slot with its TTL. */
class KeyTableTest {

    @Test
    void storesOfOneKindShareOneEntryPerKeyAndStoresOfAnotherKindDoNot() {
        StateLimits limits = new StateLimits(10, 1000);
        KeyedStore<Counter> a = limits.store("card", 0, Counter::new);
        KeyedStore<Counter> b = limits.store("card", 0, Counter::new);
        KeyedStore<Counter> c = limits.store("user", 0, Counter::new);
        a.get("k", 1).incrementAndGet();
        b.get("k", 1).addAndGet(5);
        c.get("k", 1);
        assertEquals(1, a.size(), "one entry for k in the card table");
        assertEquals(1, a.peek("k").get(), "each slot has its own state");
        assertEquals(5, b.peek("k").get());
        assertEquals(1, c.size());
        a.get("k2", 2);
        assertEquals(2, b.size());
        assertEquals(1, c.size(), "the user table is another table");
    }

    /**
     * TTL per slot: (1) slot a (TTL 100) and slot b (TTL 1000) both record key k at t=0; (2) another key moves the
     * watermark to 500; (3) b reads k first, then a reads k: a's state starts afresh (idle 500 > 100) although b
     * just touched the shared entry, and b keeps its state (idle 500 < 1000).
     */
    @Test
    void aSlotIdleLongerThanItsOwnTtlStartsAfreshWhateverTheOtherSlotsDid() {
        StateLimits limits = new StateLimits(10, 100);
        KeyedStore<Counter> a = limits.store("card", 0, Counter::new);
        KeyedStore<Counter> b = limits.store("card", 1000, Counter::new);
        a.get("k", 0).incrementAndGet();
        b.get("k", 0).incrementAndGet();
        a.get("other", 500);
        assertEquals(1, b.get("k", 500).get(), "b kept its state");
        assertEquals(0, a.get("k", 500).get(), "a started afresh");
        assertEquals(1, a.expirations());
    }

    /**
     * The same key object twice in a row at the same time (two events of one card with equal times): (1) slot a
     * records k at t=0; (2) another key moves the watermark to 500; (3) a reads k at 500 (fresh state, incremented);
     * (4) a reads k at 500 again: the state from (3) is kept, not started afresh a second time.
     */
    @Test
    void aRepeatedReadOfTheSameKeyKeepsTheStateItJustMade() {
        StateLimits limits = new StateLimits(10, 100);
        KeyedStore<Counter> a = limits.store("card", 0, Counter::new);
        String k = "k";
        a.get(k, 0);
        a.get("other", 500);
        a.get(k, 500).incrementAndGet();
        assertEquals(2, a.get(k, 500).incrementAndGet());
        assertEquals(1, a.expirations());
    }

    @Test
    void peekSeesOnlyItsOwnSlot() {
        StateLimits limits = new StateLimits(10, 1000);
        KeyedStore<Counter> a = limits.store("merchant", 0, Counter::new);
        KeyedStore<Counter> b = limits.store("merchant", 0, Counter::new);
        Counter state = a.get("m", 1);
        assertNull(b.peek("m"), "b never recorded m");
        assertSame(state, a.peek("m"));
    }

    /**
     * Keys whose hashes share their low bits probe one long chain of cells. (1) Twenty such keys are added to a
     * table of at most ten, each state holding its key's number; (2) each addition beyond ten evicts the oldest key,
     * removing it from the middle or the start of the chain. Every key left must still be found with its own state,
     * every evicted one must be gone, and a key whose hash is 0 (the empty-cell marker) works like any other.
     */
    @Test
    void keysOnOneProbeChainStayReachableWhenOthersAreRemoved() {
        KeyedStore<Counter> store = new KeyedStore<>(10, 1000, Counter::new);
        for (int i = 1; i <= 20; i++) {
            store.get(i * 1024L, i, i).set(i);
        }
        assertEquals(10, store.size());
        assertEquals(10, store.evictions());
        for (int i = 1; i <= 10; i++) {
            assertNull(store.peek(i * 1024L, i), "key " + i + " was evicted");
        }
        for (int i = 11; i <= 20; i++) {
            assertEquals(i, store.peek(i * 1024L, i).get(), "key " + i);
        }
        store.get(0L, 21, 21).set(21);
        assertEquals(21, store.peek(0L, 21).get());
    }

    /**
     * Two keys whose 64-bit hashes collide (as two of n keys do with odds about n^2 / 2^65) but whose check values
     * differ are two keys: (1) key A (hash h, check 1) counts to 3; (2) key B (hash h, check 2) arrives right after A
     * (the last-entry shortcut) and again after another key; (3) both keep their own counts through a growth of the
     * table (60 more keys). In a table of two keys, (4) A, then B, then a third key: A, the oldest, is evicted from
     * the front of the probe chain and B is still found with its own state.
     */
    @Test
    void keysWithTheSameHashButDifferentCheckValuesKeepTheirOwnState() {
        KeyedStore<Counter> store = new KeyedStore<>(1000, 1000, Counter::new);
        long h = 7 * 1024L;
        for (int i = 0; i < 3; i++) {
            store.get(h, 1, i).incrementAndGet();
        }
        assertEquals(1, store.get(h, 2, 3).incrementAndGet(), "B right after A: a new key");
        store.get(99, 99, 4);
        assertEquals(4, store.get(h, 1, 5).incrementAndGet());
        assertEquals(2, store.get(h, 2, 6).incrementAndGet());
        assertEquals(3, store.size());
        for (int i = 0; i < 60; i++) {
            store.get(100_000L + i * 1024L, 0, 10 + i);
        }
        assertEquals(4, store.peek(h, 1).get(), "A kept its own count");
        assertEquals(2, store.peek(h, 2).get(), "B kept its own count");
        assertNull(store.peek(h, 3), "no key with that check");

        KeyedStore<Counter> small = new KeyedStore<>(2, 1000, Counter::new);
        small.get(h, 1, 0).set(1);
        small.get(h, 2, 1).set(2);
        small.get(h + 1, 3, 2).set(3);
        assertEquals(1, small.evictions());
        assertNull(small.peek(h, 1), "A was the oldest key");
        assertEquals(2, small.peek(h, 2).get());
        assertEquals(3, small.peek(h + 1, 3).get());
    }

    @Test
    void theTableGrowsPastItsFirstCapacityWithoutLosingKeys() {
        KeyedStore<Counter> store = new KeyedStore<>(100_000, 1000, Counter::new);
        for (int i = 0; i < 5000; i++) {
            store.get("key-" + i, 1).set(i);
        }
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, store.peek("key-" + i).get());
        }
        assertEquals(5000, store.size());
    }

    @Test
    void theTableEvictsTheLeastRecentlyUsedKeyForAllItsSlots() {
        StateLimits limits = new StateLimits(2, 1000);
        KeyedStore<Counter> a = limits.store("card", 0, Counter::new);
        KeyedStore<Counter> b = limits.store("card", 0, Counter::new);
        a.get("x", 1);
        b.get("x", 1);
        a.get("y", 2);
        a.get("z", 3);
        assertNull(a.peek("x"));
        assertNull(b.peek("x"), "evicted with its entry");
        assertEquals(1, b.evictions());
    }
}
