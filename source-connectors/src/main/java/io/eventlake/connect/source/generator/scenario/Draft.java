package io.eventlake.connect.source.generator.scenario;

import org.apache.kafka.connect.data.Struct;

/**
 * One event of a block before it is emitted: its key and value with every field set but the event id and event
 * time, which the task sets from the sequence number and the clock. {@code reportDelayMs} is the delay after the
 * event time at which a fraud report (chargeback) for it is filed, or -1 when none is.
 *
 * <p>An event of a story after its first ({@code storySteps > 0}: the story's first event is that many steps earlier
 * in the same lane) has its own pace: with a simulated clock its time is the story's first event time plus
 * {@code storyOffsetMs} (never later than its own sequence's time), so a burst of charges takes seconds or minutes
 * of event time whatever the stream's rate, lanes and population are.
 */
public record Draft(String key, Struct value, long reportDelayMs, int storySteps, long storyOffsetMs) {

    public Draft(String key, Struct value, long reportDelayMs) {
        this(key, value, reportDelayMs, 0, 0);
    }

    public static Draft of(String key, Struct value) {
        return new Draft(key, value, -1);
    }

    /** This draft as the event {@code steps} after its story's first, {@code offsetMs} after it in event time. */
    public Draft inStory(int steps, long offsetMs) {
        return new Draft(key, value, reportDelayMs, steps, offsetMs);
    }
}
