package io.eventlake.connect.source.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;

/**
 * Emits the events of this task's lanes. Of {@code L} lanes, lane {@code l} owns sequence numbers
 * {@code l, l+L, l+2L, ...}; its source partition is {@code {"lane": l}} and its offset the next step, so a
 * restart, or a new {@code tasks.max} that moves lanes between tasks, resumes exactly after the last event the
 * worker committed (with exactly-once source support, no event is written twice).
 */
public class EventGeneratorSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(EventGeneratorSourceTask.class);
    static final String STEP_OFFSET = "step";
    private static final long IDLE_SLEEP_MS = 100;

    private final Time time;

    private String topic;
    private EventFactory factory;
    private RatePacer pacer;
    private int batchSize;
    private long laneCount;
    private Lane[] lanes;
    private int cursor;
    private volatile boolean stopping;

    public EventGeneratorSourceTask() {
        this(Time.SYSTEM);
    }

    EventGeneratorSourceTask(Time time) {
        this.time = time;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        EventGeneratorConfig config = EventGeneratorConfig.forTask(props);
        topic = config.topic();
        factory = new EventFactory(config.seed());
        batchSize = config.batchSize();
        laneCount = config.lanes();
        List<Integer> owned = config.taskLanes();
        lanes = new Lane[owned.size()];
        for (int i = 0; i < lanes.length; i++) {
            int lane = owned.get(i);
            long limit = config.maxEvents() == 0 ? Long.MAX_VALUE : stepsFor(config.maxEvents(), lane, laneCount);
            Map<String, Object> partition = sourcePartition(lane);
            lanes[i] = new Lane(lane, partition, committedStep(partition), limit);
        }
        pacer = new RatePacer(config.eventsPerSecond() * lanes.length / laneCount, time.milliseconds());
        log.info("Event generator task starting with lanes {} of {}", owned, laneCount);
    }

    /** The partition key of a lane's offsets: one entry, so its bytes are the same in every JVM. */
    static Map<String, Object> sourcePartition(int lane) {
        return Collections.singletonMap("lane", lane);
    }

    /** How many of the first {@code total} sequence numbers belong to lane {@code lane} of {@code lanes}. */
    static long stepsFor(long total, long lane, long lanes) {
        return total <= lane ? 0 : (total - lane - 1) / lanes + 1;
    }

    private long committedStep(Map<String, Object> partition) {
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        if (offset == null) {
            return 0;
        }
        Object step = offset.get(STEP_OFFSET);
        if (!(step instanceof Number n)) {
            throw new ConnectException("source offset " + offset + " of partition " + partition + " has no numeric '"
                + STEP_OFFSET + "'");
        }
        return n.longValue();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (stopping) {
            return null;
        }
        long now = time.milliseconds();
        int allowed = pacer.allowance(now, batchSize);
        if (allowed == 0) {
            time.sleep(Math.min(IDLE_SLEEP_MS, pacer.waitMs(now)));
            return null;
        }
        List<SourceRecord> records = new ArrayList<>(allowed);
        int exhausted = 0;
        while (records.size() < allowed && exhausted < lanes.length) {
            Lane lane = lanes[cursor];
            cursor = (cursor + 1) % lanes.length;
            if (lane.nextStep >= lane.limit) {
                exhausted++;
                continue;
            }
            exhausted = 0;
            long step = lane.nextStep++;
            Struct event = factory.event(lane.id + step * laneCount, now);
            records.add(new SourceRecord(lane.partition, Collections.singletonMap(STEP_OFFSET, step + 1), topic, null,
                EventSchemas.KEY, event.getString(EventSchemas.USER_ID), EventSchemas.EVENT, event, now));
        }
        if (records.isEmpty()) {
            // Every lane has reached max.events.
            time.sleep(IDLE_SLEEP_MS);
            return null;
        }
        pacer.emitted(records.size());
        return records;
    }

    @Override
    public void stop() {
        stopping = true;
    }

    private static final class Lane {
        final int id;
        final Map<String, Object> partition;
        final long limit;
        long nextStep;

        Lane(int id, Map<String, Object> partition, long nextStep, long limit) {
            this.id = id;
            this.partition = partition;
            this.nextStep = nextStep;
            this.limit = limit;
        }
    }
}
