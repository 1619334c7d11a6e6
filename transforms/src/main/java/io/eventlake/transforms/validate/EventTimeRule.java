package io.eventlake.transforms.validate;

import org.apache.kafka.common.utils.Time;

import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.TimeValues;

/**
 * The event time is no older than the maximum age and no further ahead than the maximum future skew, both against
 * the worker's clock when the record is transformed; -1 leaves a side open.
 */
final class EventTimeRule extends FieldRule {

    static final String KIND = "event.time";

    private final long maxAgeMs;
    private final long maxFutureMs;
    private final Time time;
    private final String tooOld;
    private final String tooNew;

    EventTimeRule(FieldPath path, long maxAgeMs, long maxFutureMs, Time time) {
        super(KIND, path);
        this.maxAgeMs = maxAgeMs;
        this.maxFutureMs = maxFutureMs;
        this.time = time;
        this.tooOld = "older than " + maxAgeMs + " ms";
        this.tooNew = "more than " + maxFutureMs + " ms in the future";
    }

    @Override
    String problem(Object field) {
        long eventTime;
        try {
            eventTime = TimeValues.epochMillis(field);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        long now = time.milliseconds();
        if (maxAgeMs >= 0 && eventTime < now - maxAgeMs) {
            return tooOld;
        }
        if (maxFutureMs >= 0 && eventTime > now + maxFutureMs) {
            return tooNew;
        }
        return null;
    }
}
