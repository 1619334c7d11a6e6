package io.eventlake.transforms.util;

import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

/** A clock that stands still until a test moves it. */
public final class FixedTime implements Time {

    private volatile long millis;

    public FixedTime(long millis) {
        this.millis = millis;
    }

    public void set(long millis) {
        this.millis = millis;
    }

    @Override
    public long milliseconds() {
        return millis;
    }

    @Override
    public long nanoseconds() {
        return millis * 1_000_000L;
    }

    @Override
    public void sleep(long ms) {
        millis += ms;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException();
    }
}
