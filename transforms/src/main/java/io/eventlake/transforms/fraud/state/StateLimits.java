package io.eventlake.transforms.fraud.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How much state the rules of one detector may keep, and the tables they share: one {@link KeyTable} per kind of key
 * (user, card, merchant), holding at most {@code maxKeys} keys; a rule's state of a key idle for {@code ttlMs} of
 * event time is dropped (a rule whose window is longer keeps its state for its window instead), and a key is dropped
 * when it has been idle for the longest of its rules' TTLs. Make one per detector: rules made with the same
 * instance share their tables.
 */
public final class StateLimits {

    private final int maxKeys;
    private final long ttlMs;
    private final Map<Object, KeyTable> tables = new HashMap<>();

    public StateLimits(int maxKeys, long ttlMs) {
        if (maxKeys < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("maxKeys and ttlMs must be positive");
        }
        this.maxKeys = maxKeys;
        this.ttlMs = ttlMs;
    }

    /** A rule's store in the table of the {@code kind} of key, keeping a key's state for max(ttl, window). */
    public <S extends KeyedState> KeyedStore<S> store(Object kind, long windowMs, Supplier<S> factory) {
        KeyTable table = tables.computeIfAbsent(kind, k -> new KeyTable(maxKeys));
        return new KeyedStore<>(table, Math.max(ttlMs, windowMs), factory);
    }
}
