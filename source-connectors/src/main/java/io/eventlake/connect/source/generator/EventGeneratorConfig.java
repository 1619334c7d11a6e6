package io.eventlake.connect.source.generator;

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

    /** Set by the connector for each task; not for users. */
    static final String TASK_INDEX_CONFIG = "task.index";
    static final String TASK_COUNT_CONFIG = "task.count";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(TOPIC_CONFIG, Type.STRING, "events", new ConfigDef.NonEmptyString(), Importance.HIGH, TOPIC_DOC,
            GROUP, 1, Width.MEDIUM, "Topic")
        .define(EVENTS_PER_SECOND_CONFIG, Type.DOUBLE, 1000.0, ConfigDef.Range.atLeast(0), Importance.HIGH,
            EVENTS_PER_SECOND_DOC, GROUP, 2, Width.SHORT, "Events per second")
        .define(MAX_EVENTS_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, MAX_EVENTS_DOC,
            GROUP, 3, Width.SHORT, "Max events")
        .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW, SEED_DOC, GROUP, 4, Width.SHORT, "Seed")
        .define(BATCH_SIZE_CONFIG, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
            BATCH_SIZE_DOC, GROUP, 5, Width.SHORT, "Batch size");

    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
        .define(TASK_INDEX_CONFIG, Type.INT, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.atLeast(0), Importance.LOW, "Index of this task.")
        .define(TASK_COUNT_CONFIG, Type.INT, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Range.atLeast(1), Importance.LOW, "Number of tasks.");

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

    int taskIndex() {
        return getInt(TASK_INDEX_CONFIG);
    }

    int taskCount() {
        return getInt(TASK_COUNT_CONFIG);
    }
}
