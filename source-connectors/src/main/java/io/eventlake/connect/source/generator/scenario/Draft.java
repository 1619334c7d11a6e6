package io.eventlake.connect.source.generator.scenario;

import org.apache.kafka.connect.data.Struct;

/**
 * One event of a block before it is emitted: its key and value with every field set but the event id and event
 * time, which the task sets from the sequence number and the clock. {@code reportDelayMs} is the delay after the
 * event time at which a fraud report (chargeback) for it is filed, or -1 when none is.
 */
public record Draft(String key, Struct value, long reportDelayMs) {

    public static Draft of(String key, Struct value) {
        return new Draft(key, value, -1);
    }
}
