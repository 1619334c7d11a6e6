package io.eventlake.transforms.fraud.state;

/**
 * How much state each rule may keep: at most {@code maxKeys} keys per rule, and a key idle for {@code ttlMs} of
 * event time is dropped (a rule whose window is longer keeps its keys for its window instead).
 */
public record StateLimits(int maxKeys, long ttlMs) {

    public <S> KeyedStore<S> store(long windowMs, java.util.function.Supplier<S> factory) {
        return new KeyedStore<>(maxKeys, Math.max(ttlMs, windowMs), factory);
    }
}
