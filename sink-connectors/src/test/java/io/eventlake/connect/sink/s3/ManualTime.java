package io.eventlake.connect.sink.s3;

import java.util.function.Supplier;

import org.apache.kafka.common.utils.Time;

/** A clock that moves only when told. */
public final class ManualTime implements Time {

    private long ms = 1_000_000L;

    public void advance(long millis) {
        ms += millis;
    }

    @Override
    public long milliseconds() {
        return ms;
    }

    @Override
    public long nanoseconds() {
        return ms * 1_000_000L;
    }

    @Override
    public void sleep(long millis) {
        ms += millis;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException();
    }
}
