package io.eventlake.connect.source.generator;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The event generator's configuration with typed accessors. */
public final class EventGeneratorConfig extends AbstractConfig {

    private static final String GROUP = "Generator";

    public static final String TOPIC_CONFIG = "topic";
    private static final String TOPIC_DOC = "Topic the events are written to.";
    public static final String EVENTS_PER_SECOND_CONFIG = "events.per.second";
    private static final String EVENTS_PER_SECOND_DOC = "Events per second across all tasks; 0 emits as fast as the "
        + "worker takes them.";
    public static final String MAX_EVENTS_CONFIG = "max.events";
    private static final String MAX_EVENTS_DOC = "Total events to emit across all tasks, then stop emitting; 0 never "
        + "stops. A restarted connector resumes from its offsets and does not emit an event twice.";
    public static final String SEED_CONFIG = "seed";
    private static final String SEED_DOC = "Seed of the event values: the same seed gives the same event ids and "
        + "values for the same sequence numbers.";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    private static final String BATCH_SIZE_DOC = "Largest number of events one poll returns.";
    public static final String LANES_CONFIG = "sequence.lanes";
    private static final String LANES_DOC = "The event sequence is split into this many lanes, each with its own source "
        + "offset; tasks take lanes in turn, so tasks.max can change without replaying or skipping events (no more "
        + "than this many tasks do work). Changing it on an existing connector starts a new sequence.";

    /** Set by the connector for each task: the lanes it owns. Not for users. */
    static final String TASK_LANES_CONFIG = "task.lanes";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(TOPIC_CONFIG, Type.STRING, "events", new ConfigDef.NonEmptyString(), Importance.HIGH, TOPIC_DOC,
            GROUP, 1, Width.MEDIUM, "Topic")
        .define(EVENTS_PER_SECOND_CONFIG, Type.DOUBLE, 1000.0, ConfigDef.Range.atLeast(0), Importance.HIGH,
            EVENTS_PER_SECOND_DOC, GROUP, 2, Width.SHORT, "Events per second")
        .define(MAX_EVENTS_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, MAX_EVENTS_DOC,
            GROUP, 3, Width.SHORT, "Max events")
        .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW, SEED_DOC, GROUP, 4, Width.SHORT, "Seed")
        .define(BATCH_SIZE_CONFIG, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
            BATCH_SIZE_DOC, GROUP, 5, Width.SHORT, "Batch size")
        .define(LANES_CONFIG, Type.INT, 16, ConfigDef.Range.between(1, 4096), Importance.LOW, LANES_DOC, GROUP, 6,
            Width.SHORT, "Sequence lanes");

    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
        .define(TASK_LANES_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.LOW, "Lanes of this task.");

    public EventGeneratorConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    EventGeneratorConfig(ConfigDef def, Map<String, String> props) {
        super(def, props);
    }

    static EventGeneratorConfig forTask(Map<String, String> props) {
        return new EventGeneratorConfig(TASK_CONFIG_DEF, props);
    }

    public String topic() {
        return getString(TOPIC_CONFIG);
    }

    public double eventsPerSecond() {
        return getDouble(EVENTS_PER_SECOND_CONFIG);
    }

    public long maxEvents() {
        return getLong(MAX_EVENTS_CONFIG);
    }

    public long seed() {
        return getLong(SEED_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public int lanes() {
        return getInt(LANES_CONFIG);
    }

    List<Integer> taskLanes() {
        return getList(TASK_LANES_CONFIG).stream().map(Integer::parseInt).toList();
    }
}
