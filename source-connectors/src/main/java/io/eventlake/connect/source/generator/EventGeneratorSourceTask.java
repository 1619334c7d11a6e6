package io.eventlake.connect.source.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * Emits this task's share of the event sequence: task {@code i} of {@code n} owns sequence numbers
 * {@code i, i+n, i+2n, ...}. Its source offset is the next step {@code k}, so a restart resumes exactly after the
 * last event the worker committed (with exactly-once source support, no event is written twice).
 */
public class EventGeneratorSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(EventGeneratorSourceTask.class);
    static final String STEP_OFFSET = "step";
    private static final long IDLE_SLEEP_MS = 100;

    private final Time time;

    private String topic;
    private EventFactory factory;
    private RatePacer pacer;
    private Map<String, Object> sourcePartition;
    private int batchSize;
    private long taskIndex;
    private long taskCount;
    private long stepLimit;
    private long nextStep;
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
        taskIndex = config.taskIndex();
        taskCount = config.taskCount();
        stepLimit = config.maxEvents() == 0 ? Long.MAX_VALUE : stepsFor(config.maxEvents(), taskIndex, taskCount);
        sourcePartition = sourcePartition((int) taskIndex, (int) taskCount);
        nextStep = committedStep();
        pacer = new RatePacer(config.eventsPerSecond() / taskCount, time.milliseconds());
        log.info("Event generator task {} of {} starting at step {} (limit {})", taskIndex, taskCount, nextStep,
            stepLimit == Long.MAX_VALUE ? "none" : stepLimit);
    }

    /**
     * The partition key of a task's offsets. Connect finds offsets by the converter's bytes of this map, so its
     * iteration order must be the same in every JVM: {@code Map.of} randomizes it per JVM, and a restarted worker
     * then finds no offsets and generates the sequence again.
     */
    static Map<String, Object> sourcePartition(int taskIndex, int taskCount) {
        Map<String, Object> partition = new LinkedHashMap<>();
        partition.put("task", taskIndex);
        partition.put("tasks", taskCount);
        return Collections.unmodifiableMap(partition);
    }

    /** How many of the first {@code total} sequence numbers belong to task {@code index} of {@code count}. */
    static long stepsFor(long total, long index, long count) {
        return total <= index ? 0 : (total - index - 1) / count + 1;
    }

    private long committedStep() {
        Map<String, Object> offset = context.offsetStorageReader().offset(sourcePartition);
        if (offset == null) {
            return 0;
        }
        Object step = offset.get(STEP_OFFSET);
        if (!(step instanceof Number n)) {
            throw new ConnectException("source offset " + offset + " of partition " + sourcePartition
                + " has no numeric '" + STEP_OFFSET + "'");
        }
        return n.longValue();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (stopping) {
            return null;
        }
        if (nextStep >= stepLimit) {
            time.sleep(IDLE_SLEEP_MS);
            return null;
        }
        long now = time.milliseconds();
        int count = (int) Math.min(pacer.allowance(now, batchSize), stepLimit - nextStep);
        if (count == 0) {
            time.sleep(Math.min(IDLE_SLEEP_MS, pacer.waitMs(now)));
            return null;
        }
        List<SourceRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long step = nextStep++;
            Struct event = factory.event(taskIndex + step * taskCount, now);
            records.add(new SourceRecord(sourcePartition, Map.of(STEP_OFFSET, step + 1), topic, null,
                EventSchemas.KEY, event.getString(EventSchemas.USER_ID), EventSchemas.EVENT, event, now));
        }
        pacer.emitted(count);
        return records;
    }

    @Override
    public void stop() {
        stopping = true;
    }
}
