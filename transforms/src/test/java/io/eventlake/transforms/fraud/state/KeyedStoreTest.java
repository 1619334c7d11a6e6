package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class KeyedStoreTest {

    @Test
    void evictsTheLeastRecentlyUsedKeyBeyondMaxKeys() {
        KeyedStore<Counter> store = new KeyedStore<>(2, 1000, Counter::new);
        store.get("a", 1).incrementAndGet();
        store.get("b", 2);
        store.get("a", 3);
        store.get("c", 4);
        assertEquals(2, store.size());
        assertNull(store.peek("b"), "b was the least recently used");
        assertEquals(1, store.peek("a").get());
        assertEquals(1, store.evictions());
    }

    @Test
    void aKeyIdleLongerThanTheTtlStartsAfresh() {
        KeyedStore<Counter> store = new KeyedStore<>(10, 100, Counter::new);
        Counter first = store.get("a", 0);
        assertSame(first, store.get("a", 100), "idle exactly the TTL");
        store.get("other", 201);
        assertNull(store.peek("a"), "idle 101 ms behind the watermark");
        assertNotSame(first, store.get("a", 202));
        assertEquals(1, store.expirations());
    }

    @Test
    void idleKeysAreSweptAsTheyReachTheOldEnd() {
        KeyedStore<Counter> store = new KeyedStore<>(100, 100, Counter::new);
        store.get("a", 0);
        store.get("b", 1);
        for (int i = 0; i < KeyTable.SWEEP_EVERY; i++) {
            store.get("c" + i, 500);
        }
        assertEquals(KeyTable.SWEEP_EVERY, store.size(), "a and b swept, the c keys held");
    }

    @Test
    void aLateEventDoesNotMoveLastSeenBack() {
        KeyedStore<Counter> store = new KeyedStore<>(10, 100, Counter::new);
        Counter a = store.get("a", 1000);
        store.get("a", 500);
        store.get("z", 1090);
        assertSame(a, store.peek("a"), "last seen at 1000, not 500");
    }
}
