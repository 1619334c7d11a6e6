package io.eventlake.connect.source.generator;

import java.util.Date;

import org.apache.kafka.connect.data.Struct;

import io.eventlake.connect.source.generator.scenario.Draft;
import io.eventlake.connect.source.generator.scenario.EventIds;
import io.eventlake.connect.source.generator.scenario.Scenario;

/**
 * The events of a scenario by sequence number, outside Connect, exactly as the tasks emit them: for tests that
 * check what landed against what should have, for benchmarks, and for offline data sets (for example to measure
 * fraud rules on labelled transactions). Reading sequence numbers in order is cheap; random access makes a block
 * per event.
 */
public final class EventStream {

    private final Scenario scenario;
    private final long seed;
    private final Lane[] lanes;

    public EventStream(Scenario scenario, long seed, int laneCount) {
        this.scenario = scenario;
        this.seed = seed;
        this.lanes = new Lane[laneCount];
        for (int l = 0; l < laneCount; l++) {
            lanes[l] = new Lane(l, EventGeneratorSourceTask.sourcePartition(l), 0, 0, Long.MAX_VALUE, scenario, seed,
                laneCount);
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The draft of a sequence number with its id and the given event time set; the key is {@code draft.key()}. */
    public Draft draft(long sequence, long eventTimeMs) {
        Lane lane = lanes[(int) (sequence % lanes.length)];
        Draft draft = lane.draft(sequence / lanes.length);
        draft.value()
            .put(scenario.idField(), EventIds.of(seed, scenario.idTag(), sequence))
            .put(scenario.timeField(), new Date(eventTimeMs));
        return draft;
    }

    /**
     * The draft of a sequence number timed as the task times it on a simulated {@code clock} (sequence to time): a
     * story's later event at its story's pace, any other event at its clock time less {@code latenessMs}.
     */
    public Draft draftOnClock(long sequence, java.util.function.LongUnaryOperator clock, long latenessMs) {
        Draft peek = lanes[(int) (sequence % lanes.length)].draft(sequence / lanes.length);
        long time = peek.storySteps() > 0
            ? Math.min(clock.applyAsLong(sequence - (long) peek.storySteps() * lanes.length) + peek.storyOffsetMs(),
                clock.applyAsLong(sequence))
            : clock.applyAsLong(sequence) - latenessMs;
        return draft(sequence, time);
    }

    public Struct event(long sequence, long eventTimeMs) {
        return draft(sequence, eventTimeMs).value();
    }

    /** The event id of a sequence number, without making its event. */
    public String id(long sequence) {
        return EventIds.of(seed, scenario.idTag(), sequence);
    }
}
