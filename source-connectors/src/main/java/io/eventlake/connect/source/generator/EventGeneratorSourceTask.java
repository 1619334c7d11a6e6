package io.eventlake.connect.source.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.connect.source.generator.scenario.Draft;
import io.eventlake.connect.source.generator.scenario.EventIds;
import io.eventlake.connect.source.generator.scenario.FraudReports;
import io.eventlake.connect.source.generator.scenario.Scenario;
import io.eventlake.connect.source.generator.scenario.Scenarios;

/**
 * Emits the events of this task's {@link Lane lanes}. A lane's source partition is {@code {"lane": l}} and its offset
 * {@code {"step": next step, "reports": fraud reports written, "lanes": lane count}}, so a restart, or a new
 * {@code tasks.max} that moves lanes between tasks, resumes exactly after the last event the worker committed (with
 * exactly-once source support, no event is written twice). A transaction with a fraud report is followed by its
 * report in the same poll; the transaction's record keeps the lane's previous step as its offset and the report's
 * record advances it, so a crash between the two replays the transaction rather than lose its report.
 */
public class EventGeneratorSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(EventGeneratorSourceTask.class);
    static final String STEP_OFFSET = "step";
    static final String REPORTS_OFFSET = "reports";
    static final String LANES_OFFSET = "lanes";
    /** The start of an auto simulated clock (epoch ms), kept with every lane's offset. */
    static final String CLOCK_OFFSET = "clock";
    private static final long IDLE_SLEEP_MS = 100;

    private final Time time;

    private String topic;
    private String reportsTopic;
    private Scenario scenario;
    private Schema valueSchema;
    private long seed;
    private EventTimes times;
    private InvalidEvents invalid;
    private RatePacer pacer;
    private int batchSize;
    private int laneCount;
    private Lane[] lanes;
    private Long clockStart;
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
        scenario = Scenarios.create(config.scenario(), config.scenarioSettings());
        valueSchema = scenario.valueSchema();
        reportsTopic = config.reportsTopic();
        seed = config.seed();
        invalid = new InvalidEvents(seed, config.invalidShare(), valueSchema);
        batchSize = config.batchSize();
        laneCount = config.lanes();
        List<Integer> owned = config.taskLanes();
        lanes = new Lane[owned.size()];
        Long keptClock = null;
        for (int i = 0; i < lanes.length; i++) {
            int lane = owned.get(i);
            long limit = config.maxEvents() == 0 ? Long.MAX_VALUE : stepsFor(config.maxEvents(), lane, laneCount);
            Map<String, Object> partition = sourcePartition(lane);
            Map<String, Object> offset = context.offsetStorageReader().offset(partition);
            checkLanes(offset, partition, laneCount);
            if (keptClock == null) {
                keptClock = clockOf(offset);
            }
            lanes[i] = new Lane(lane, partition, number(offset, STEP_OFFSET, partition),
                number(offset, REPORTS_OFFSET, partition), limit, scenario, seed, laneCount);
        }
        // Resume with the lane whose next event comes first: a transaction may have ended mid-round (some lanes one
        // step ahead), and starting the round at lane 0 would emit a later event before an earlier one. Judging
        // events out of their sequence order would change what a transform keyed across users (merchants) sees.
        cursor = 0;
        for (int i = 1; i < lanes.length; i++) {
            if (lanes[i].sequenceOf(lanes[i].nextStep) < lanes[cursor].sequenceOf(lanes[cursor].nextStep)) {
                cursor = i;
            }
        }
        if (config.simulatedAutoStart()) {
            // The clock the offsets kept wins over the one the connector chose, so a resumed stream keeps its times.
            clockStart = keptClock != null ? keptClock : config.simulatedStartMs();
        }
        times = EventTimes.of(config, config.simulatedTime() ? clockStart != null ? clockStart
            : config.simulatedStartMs() : 0);
        pacer = new RatePacer(config.eventsPerSecond() * lanes.length / laneCount, config.rateShape(),
            config.catchupMaxMs(), time.milliseconds());
        log.info("Event generator task starting: scenario {} to topic {}, lanes {} of {}", scenario.name(), topic, owned,
            laneCount);
    }

    /** The auto clock's start kept in a committed offset, or null. */
    static Long clockOf(Map<String, Object> offset) {
        return offset != null && offset.get(CLOCK_OFFSET) instanceof Number n ? n.longValue() : null;
    }

    /** The partition key of a lane's offsets: one entry, so its bytes are the same in every JVM. */
    static Map<String, Object> sourcePartition(int lane) {
        return Collections.singletonMap("lane", lane);
    }

    /** How many of the first {@code total} sequence numbers belong to lane {@code lane} of {@code lanes}. */
    static long stepsFor(long total, long lane, long lanes) {
        return total <= lane ? 0 : (total - lane - 1) / lanes + 1;
    }

    /**
     * Refuses a committed offset written with another lane count: its steps would map to other sequence numbers, so
     * event ids would repeat. Offsets of earlier versions carry no lane count and are taken as they are.
     */
    static void checkLanes(Map<String, Object> offset, Map<String, Object> partition, int lanes) {
        Object committed = offset == null ? null : offset.get(LANES_OFFSET);
        if (committed instanceof Number n && n.intValue() != lanes) {
            throw new ConnectException(EventGeneratorConfig.LANES_CONFIG + " is " + lanes + " but the offsets of "
                + partition + " were committed with " + n.intValue() + " lanes; changing it would repeat event ids. "
                + "Set " + EventGeneratorConfig.LANES_CONFIG + " back to " + n.intValue() + ", or reset the "
                + "connector's offsets (DELETE /connectors/<name>/offsets) and change the seed to start a new stream.");
        }
    }

    private static long number(Map<String, Object> offset, String key, Map<String, Object> partition) {
        if (offset == null) {
            return 0;
        }
        Object value = offset.get(key);
        if (value == null && REPORTS_OFFSET.equals(key)) {
            return 0;
        }
        if (!(value instanceof Number n)) {
            throw new ConnectException("source offset " + offset + " of partition " + partition + " has no numeric '"
                + key + "'");
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
        List<SourceRecord> records = new ArrayList<>(allowed + 8);
        int emitted = 0;
        int exhausted = 0;
        while (emitted < allowed && exhausted < lanes.length) {
            Lane lane = lanes[cursor];
            cursor = cursor + 1 == lanes.length ? 0 : cursor + 1;
            if (lane.exhausted() || times.heldBack(lane.sequenceOf(lane.nextStep), now)) {
                exhausted++;
                continue;
            }
            exhausted = 0;
            emit(lane, now, records);
            emitted++;
        }
        if (records.isEmpty()) {
            // Every lane has reached max.events, or waits for the wall clock.
            time.sleep(IDLE_SLEEP_MS);
            return null;
        }
        pacer.emitted(emitted);
        return records;
    }

    private void emit(Lane lane, long now, List<SourceRecord> records) {
        long step = lane.nextStep++;
        long sequence = lane.sequenceOf(step);
        Draft draft = lane.draft(step);
        long eventTime = draft.storySteps() > 0 && times.simulated()
            ? times.storyTime(lane.sequenceOf(step - draft.storySteps()), draft.storyOffsetMs(), sequence)
            : times.eventTime(sequence, now);
        Struct value = draft.value()
            .put(scenario.idField(), EventIds.of(seed, scenario.idTag(), sequence))
            .put(scenario.timeField(), new Date(eventTime));
        invalid.apply(sequence, value);
        long timestamp = times.simulated() ? now : eventTime;
        boolean report = reportsTopic != null && draft.reportDelayMs() >= 0;
        long eventOffsetStep = report ? step : step + 1;
        records.add(new SourceRecord(lane.partition, offset(eventOffsetStep, lane.reports), topic, null,
            Schema.STRING_SCHEMA, draft.key(), valueSchema, value, timestamp));
        if (report) {
            Struct r = FraudReports.of(value, EventIds.of(seed, FraudReports.ID_TAG, sequence),
                eventTime + draft.reportDelayMs());
            lane.reports++;
            records.add(new SourceRecord(lane.partition, offset(step + 1, lane.reports), reportsTopic, null,
                Schema.STRING_SCHEMA, draft.key(), FraudReports.SCHEMA, r, timestamp));
        }
    }

    private Map<String, Object> offset(long step, long reports) {
        return clockStart == null ? Map.of(STEP_OFFSET, step, REPORTS_OFFSET, reports, LANES_OFFSET, laneCount)
            : Map.of(STEP_OFFSET, step, REPORTS_OFFSET, reports, LANES_OFFSET, laneCount, CLOCK_OFFSET, clockStart);
    }

    @Override
    public void stop() {
        stopping = true;
    }
}
