package io.eventlake.connect.source.generator.scenario;

import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * A stream of events of one kind. Events are made in blocks of {@link #blockSize()} consecutive events of a lane,
 * so that a scenario can tell small stories (a browsing session, a shopping journey, a burst of fraud on one card)
 * while every event stays a pure function of (seed, lane, block, position): a restarted task regenerates the
 * block it stopped in and resumes at the next position.
 */
public interface Scenario {

    /** The scenario's name, as configured. */
    String name();

    /** Tag that keeps this scenario's event ids apart from every other stream's (0-63). */
    int idTag();

    Schema valueSchema();

    /** Field set to the event id at emission. */
    Field idField();

    /** Field set to the event time at emission. */
    Field timeField();

    int blockSize();

    /**
     * Appends exactly {@link #blockSize()} drafts to {@code out}. {@code block} numbers the block within a lane,
     * {@code firstSequence} is the sequence number of its first event and {@code stride} the distance between
     * sequence numbers of consecutive events of the lane.
     */
    void fill(SplittableRandom random, Block block, List<Draft> out);

    /** Where a block stands in the whole stream. */
    record Block(int lane, long index, long firstSequence, long stride) {

        public long sequenceOf(int position) {
            return firstSequence + position * stride;
        }

        /**
         * A user number of {@code users} drawn among those this block's lane owns: of {@code L} lanes, lane {@code l}
         * owns users {@code l, l+L, l+2L...}, so all of a user's events are in one lane and so in one task, whatever
         * {@code tasks.max} is. With fewer users than lanes, lane {@code l} owns user {@code l mod users}.
         */
        public int user(SplittableRandom random, int users) {
            if (users <= lane) {
                return lane % users;
            }
            long owned = (users - lane + stride - 1) / stride;
            return (int) (lane + stride * random.nextLong(owned));
        }
    }
}
