package io.eventlake.connect.source.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.eventlake.common.config.Validators;
import io.eventlake.connect.source.generator.scenario.FraudPattern;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;

/** The event generator's configuration with typed accessors. Cross-field rules are in {@link #problems()}. */
public final class EventGeneratorConfig extends AbstractConfig {

    private static final String GROUP = "Generator";
    private static final String TIME_GROUP = "Timing";
    private static final String FRAUD_GROUP = "Fraud (transactions)";
    private static final String QUALITY_GROUP = "Data quality";
    public static final String INVALID_SHARE_CONFIG = "invalid.events.share";
    private static final String INVALID_SHARE_DOC = "Share of events made invalid on purpose, to exercise validation "
        + "and quarantine downstream: their currency becomes 'euro' (not an ISO-4217 code) where the scenario has one, "
        + "else their user_id (device_id in sensors) becomes empty. Which events is a pure function of the seed and "
        + "sequence number. 0 (the "
        + "default) emits only valid events.";

    public static final String SCENARIO_CONFIG = "scenario";
    private static final String SCENARIO_DOC = "What to generate: clickstream (browsing sessions of page views), cart "
        + "(shopping journeys from login to purchase), transactions (payment card transactions with injected fraud "
        + "and its ground truth, plus fraud reports) or sensors (IoT readings). One connector runs one scenario; run "
        + "one connector per scenario to have several.";
    public static final String TOPIC_CONFIG = "topic";
    private static final String TOPIC_DOC = "Topic the events are written to; empty means the scenario's name.";
    public static final String EVENTS_PER_SECOND_CONFIG = "events.per.second";
    private static final String EVENTS_PER_SECOND_DOC = "Mean events per second across all tasks; 0 emits as fast as "
        + "the worker takes them. The diurnal and burst settings shape the rate around this mean.";
    public static final String MAX_EVENTS_CONFIG = "max.events";
    private static final String MAX_EVENTS_DOC = "Total events to emit across all tasks, then stop emitting; 0 never "
        + "stops. Fraud reports are not counted. A restarted connector resumes from its offsets and does not emit an "
        + "event twice.";
    public static final String SEED_CONFIG = "seed";
    private static final String SEED_DOC = "Seed of the stream: the same seed gives the same event ids and values "
        + "for the same sequence numbers (event times follow the clock unless event.time.mode is simulated).";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    private static final String BATCH_SIZE_DOC = "Largest number of events one poll returns.";
    public static final String LANES_CONFIG = "sequence.lanes";
    private static final String LANES_DOC = "The event sequence is split into this many lanes, each with its own source "
        + "offset; tasks take lanes in turn, so tasks.max can change without replaying or skipping events (no more "
        + "than this many tasks do work). It cannot change once the connector has committed offsets: the task "
        + "fails with a message naming both values (set it back, or reset the offsets and change the seed).";
    public static final String USERS_CONFIG = "users";
    private static final String USERS_DOC = "How many users (visitors, shoppers, card holders) the clickstream, cart "
        + "and transactions scenarios draw from.";
    public static final String DEVICES_CONFIG = "devices";
    private static final String DEVICES_DOC = "How many devices the sensors scenario draws from.";
    public static final String PRODUCTS_CONFIG = "products";
    private static final String PRODUCTS_DOC = "How many products the shop of the clickstream and cart scenarios sells.";

    public static final String TIME_MODE_CONFIG = "event.time.mode";
    private static final String TIME_MODE_DOC = "wallclock: an event's time is when it is emitted (less its lateness), "
        + "so each user's activity in event time grows with events.per.second: at 200 events/s over 10,000 card "
        + "holders every card pays about once a minute, which no real card does (use it to load-test, not to judge "
        + "behaviour). simulated: event times start at simulated.start and advance by 1/simulated.events.per.second "
        + "(or by the population's own rate, see " + "simulated.events.per.user.per.day) per sequence number, so each "
        + "user's activity in event time is the same at any events.per.second, the whole stream, times included, is "
        + "a pure function of the seed, and days of traffic (and the fraud reports filed days later) fit in a short "
        + "run. In simulated mode the Kafka record timestamp is the wall clock, so the broker's retention and "
        + "timestamp checks are not fooled.";
    public static final String SIMULATED_START_CONFIG = "simulated.start";
    private static final String SIMULATED_START_DOC = "First event time in simulated mode: an ISO-8601 instant, or "
        + "auto: the stream is a backfill that ends at the connector's first start (with max.events set; without it, "
        + "it begins 7 days before that start), and the simulated clock never passes the wall clock: once it catches "
        + "up, events come at the population's own rate. The start chosen is kept in the source offsets, so a "
        + "restart, a rescale or another max.events resumes the same clock.";
    public static final String SIMULATED_RATE_CONFIG = "simulated.events.per.second";
    private static final String SIMULATED_RATE_DOC = "Events per simulated second in simulated mode (unless "
        + "simulated.events.per.user.per.day is set).";
    public static final String SIMULATED_PER_USER_CONFIG = "simulated.events.per.user.per.day";
    private static final String SIMULATED_PER_USER_DOC = "In simulated mode, how many events each user makes per "
        + "simulated day; the simulated rate is then users x this / 86,400 events per second, so per-user activity "
        + "in event time is fixed whatever events.per.second, max.events and tasks.max are (a card holder pays a few "
        + "times a day: 4). 0 uses simulated.events.per.second.";
    /** Without max.events, an auto clock starts this long before the connector's first start. */
    static final long AUTO_BACKFILL_MS = 7 * 86_400_000L;
    static final String AUTO = "auto";
    public static final String LATE_SHARE_CONFIG = "late.events.share";
    private static final String LATE_SHARE_DOC = "Share of events that arrive late: their event time is behind the "
        + "time they are emitted at by up to late.events.max.delay.ms (so they are also out of order).";
    public static final String LATE_MAX_CONFIG = "late.events.max.delay.ms";
    private static final String LATE_MAX_DOC = "Largest delay of a late event.";
    public static final String DIURNAL_AMPLITUDE_CONFIG = "rate.diurnal.amplitude";
    private static final String DIURNAL_AMPLITUDE_DOC = "Daily shape of the rate: the rate is events.per.second * (1 + "
        + "amplitude * cos(2 pi (hour - peak) / 24)), hour of day in UTC; 0 keeps it flat.";
    public static final String DIURNAL_PEAK_CONFIG = "rate.diurnal.peak.hour";
    private static final String DIURNAL_PEAK_DOC = "Hour of day (UTC) at which the diurnal rate peaks.";
    public static final String BURST_FACTOR_CONFIG = "rate.burst.factor";
    private static final String BURST_FACTOR_DOC = "During a burst the rate is multiplied by this; 1 means no bursts.";
    public static final String BURST_INTERVAL_CONFIG = "rate.burst.interval.ms";
    private static final String BURST_INTERVAL_DOC = "A burst starts every this many milliseconds.";
    public static final String BURST_DURATION_CONFIG = "rate.burst.duration.ms";
    private static final String BURST_DURATION_DOC = "How long a burst lasts.";
    public static final String CATCHUP_CONFIG = "rate.catchup.max.ms";
    private static final String CATCHUP_DOC = "After a stall (a slow broker, a paused task) the generator catches up "
        + "with at most this many milliseconds' worth of events at once, then keeps to its rate: a long stall does not "
        + "turn into a flood.";

    public static final String LABELS_CONFIG = "fraud.labels.enabled";
    private static final String LABELS_DOC = "Transactions carry their ground truth (fraud_label, fraud_pattern). "
        + "Switch off for a production-like stream: fraud is still injected, but unlabelled.";
    public static final String FRAUD_SHARE_PREFIX = "fraud.share.";
    public static final String REPORTS_TOPIC_CONFIG = "fraud.reports.topic";
    private static final String REPORTS_TOPIC_DOC = "Topic of the fraud reports (chargebacks) of the transactions "
        + "scenario; empty writes none.";
    public static final String REPORTS_SHARE_CONFIG = "fraud.reports.share";
    private static final String REPORTS_SHARE_DOC = "Share of fraudulent transactions that are later confirmed by a "
        + "fraud report.";
    public static final String REPORTS_DELAY_MIN_CONFIG = "fraud.reports.delay.min.hours";
    private static final String REPORTS_DELAY_MIN_DOC = "Smallest delay between a fraudulent transaction and its "
        + "report's reported_time.";
    public static final String REPORTS_DELAY_MAX_CONFIG = "fraud.reports.delay.max.hours";
    private static final String REPORTS_DELAY_MAX_DOC = "Largest delay between a fraudulent transaction and its "
        + "report's reported_time (uniform between the two).";

    /** Set by the connector for each task: the lanes it owns. Not for users. */
    static final String TASK_LANES_CONFIG = "task.lanes";
    static final String TASK_CLOCK_START_CONFIG = "task.simulated.start.ms";

    public static final double DEFAULT_FRAUD_SHARE = 0.003;

    public static final ConfigDef CONFIG_DEF = configDef();

    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
        .define(TASK_LANES_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.LOW, "Lanes of this task.")
        .define(TASK_CLOCK_START_CONFIG, Type.LONG, Long.MIN_VALUE, Importance.LOW, "The simulated clock's start "
            + "(epoch ms) the connector chose for simulated.start=auto.");

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef()
            .define(SCENARIO_CONFIG, Type.STRING, "cart", ConfigDef.CaseInsensitiveValidString.in(
                Scenarios.NAMES.toArray(String[]::new)), Importance.HIGH, SCENARIO_DOC, GROUP, 1, Width.MEDIUM,
                "Scenario", new FixedRecommender(Scenarios.NAMES))
            .define(TOPIC_CONFIG, Type.STRING, "", Importance.HIGH, TOPIC_DOC, GROUP, 2, Width.MEDIUM, "Topic")
            .define(EVENTS_PER_SECOND_CONFIG, Type.DOUBLE, 1000.0, Range.atLeast(0), Importance.HIGH,
                EVENTS_PER_SECOND_DOC, GROUP, 3, Width.SHORT, "Events per second")
            .define(MAX_EVENTS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM, MAX_EVENTS_DOC,
                GROUP, 4, Width.SHORT, "Max events")
            .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW, SEED_DOC, GROUP, 5, Width.SHORT, "Seed")
            .define(USERS_CONFIG, Type.INT, 10_000, Range.between(1, 100_000_000), Importance.MEDIUM, USERS_DOC,
                GROUP, 6, Width.SHORT, "Users")
            .define(DEVICES_CONFIG, Type.INT, 1_000, Range.between(1, 100_000_000), Importance.LOW, DEVICES_DOC,
                GROUP, 7, Width.SHORT, "Devices")
            .define(PRODUCTS_CONFIG, Type.INT, 500, Range.between(1, 1_000_000), Importance.LOW, PRODUCTS_DOC,
                GROUP, 8, Width.SHORT, "Products")
            .define(BATCH_SIZE_CONFIG, Type.INT, 1000, Range.between(1, 100_000), Importance.LOW,
                BATCH_SIZE_DOC, GROUP, 9, Width.SHORT, "Batch size")
            .define(LANES_CONFIG, Type.INT, 16, Range.between(1, 4096), Importance.LOW, LANES_DOC, GROUP, 10,
                Width.SHORT, "Sequence lanes")
            .define(TIME_MODE_CONFIG, Type.STRING, "wallclock", ConfigDef.CaseInsensitiveValidString.in("wallclock",
                "simulated"), Importance.MEDIUM, TIME_MODE_DOC, TIME_GROUP, 1, Width.SHORT, "Event time mode",
                new FixedRecommender(List.of("wallclock", "simulated")))
            .define(SIMULATED_START_CONFIG, Type.STRING, AUTO, Validators.of("auto or an ISO-8601 instant, e.g. "
                + "2026-01-01T00:00:00Z", v -> AUTO.equalsIgnoreCase(v.trim()) || Instant.parse(v.trim()) != null,
                "neither auto nor an ISO-8601 instant such as 2026-01-01T00:00:00Z"),
                Importance.LOW, SIMULATED_START_DOC, TIME_GROUP, 2, Width.MEDIUM, "Simulated start")
            .define(SIMULATED_RATE_CONFIG, Type.DOUBLE, 100.0, Range.atLeast(0.001), Importance.LOW,
                SIMULATED_RATE_DOC, TIME_GROUP, 3, Width.SHORT, "Simulated events per second")
            .define(SIMULATED_PER_USER_CONFIG, Type.DOUBLE, 0.0, Range.between(0.0, 100_000.0), Importance.MEDIUM,
                SIMULATED_PER_USER_DOC, TIME_GROUP, 3, Width.SHORT, "Simulated events per user per day")
            .define(LATE_SHARE_CONFIG, Type.DOUBLE, 0.02, Range.between(0.0, 1.0), Importance.MEDIUM,
                LATE_SHARE_DOC, TIME_GROUP, 4, Width.SHORT, "Late events share")
            .define(LATE_MAX_CONFIG, Type.LONG, 300_000L, Range.between(1, 30L * 24 * 3_600_000), Importance.LOW,
                LATE_MAX_DOC, TIME_GROUP, 5, Width.SHORT, "Late events max delay")
            .define(DIURNAL_AMPLITUDE_CONFIG, Type.DOUBLE, 0.0, Range.between(0.0, 0.95), Importance.LOW,
                DIURNAL_AMPLITUDE_DOC, TIME_GROUP, 6, Width.SHORT, "Diurnal amplitude")
            .define(DIURNAL_PEAK_CONFIG, Type.INT, 20, Range.between(0, 23), Importance.LOW, DIURNAL_PEAK_DOC,
                TIME_GROUP, 7, Width.SHORT, "Diurnal peak hour")
            .define(BURST_FACTOR_CONFIG, Type.DOUBLE, 1.0, Range.between(1.0, 100.0), Importance.LOW,
                BURST_FACTOR_DOC, TIME_GROUP, 8, Width.SHORT, "Burst factor")
            .define(BURST_INTERVAL_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW, BURST_INTERVAL_DOC,
                TIME_GROUP, 9, Width.SHORT, "Burst interval")
            .define(BURST_DURATION_CONFIG, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW, BURST_DURATION_DOC,
                TIME_GROUP, 10, Width.SHORT, "Burst duration")
            .define(CATCHUP_CONFIG, Type.LONG, 1_000L, Range.between(1, 3_600_000), Importance.LOW, CATCHUP_DOC,
                TIME_GROUP, 11, Width.SHORT, "Max catch-up")
            .define(INVALID_SHARE_CONFIG, Type.DOUBLE, 0.0, Range.between(0.0, 1.0), Importance.LOW, INVALID_SHARE_DOC,
                QUALITY_GROUP, 1, Width.SHORT, "Invalid events share")
            .define(LABELS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, LABELS_DOC, FRAUD_GROUP, 1, Width.SHORT,
                "Fraud labels");
        int order = 2;
        for (FraudPattern p : FraudPattern.values()) {
            def.define(FRAUD_SHARE_PREFIX + p.label(), Type.DOUBLE, DEFAULT_FRAUD_SHARE, Range.between(0.0, 0.2),
                Importance.LOW, "Share of transactions that are fraud of the " + p.label() + " pattern (0 switches it "
                    + "off).", FRAUD_GROUP, order++, Width.SHORT, "Share " + p.label());
        }
        return def
            .define(REPORTS_TOPIC_CONFIG, Type.STRING, "fraud-reports", Importance.MEDIUM, REPORTS_TOPIC_DOC,
                FRAUD_GROUP, order++, Width.MEDIUM, "Fraud reports topic")
            .define(REPORTS_SHARE_CONFIG, Type.DOUBLE, 0.7, Range.between(0.0, 1.0), Importance.LOW,
                REPORTS_SHARE_DOC, FRAUD_GROUP, order++, Width.SHORT, "Reported share")
            .define(REPORTS_DELAY_MIN_CONFIG, Type.DOUBLE, 24.0, Range.between(0.0, 24.0 * 365), Importance.LOW,
                REPORTS_DELAY_MIN_DOC, FRAUD_GROUP, order++, Width.SHORT, "Report delay min")
            .define(REPORTS_DELAY_MAX_CONFIG, Type.DOUBLE, 240.0, Range.between(0.0, 24.0 * 365), Importance.LOW,
                REPORTS_DELAY_MAX_DOC, FRAUD_GROUP, order, Width.SHORT, "Report delay max");
    }

    public EventGeneratorConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    EventGeneratorConfig(ConfigDef def, Map<String, String> props) {
        super(def, props);
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    static EventGeneratorConfig forTask(Map<String, String> props) {
        return new EventGeneratorConfig(TASK_CONFIG_DEF, props);
    }

    /** Rules across settings, each naming its key and value; the connector's validate() reports them per key. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (reportDelayMaxMs() < reportDelayMinMs()) {
            problems.add(REPORTS_DELAY_MAX_CONFIG + ": " + getDouble(REPORTS_DELAY_MAX_CONFIG) + " is below "
                + REPORTS_DELAY_MIN_CONFIG + " (" + getDouble(REPORTS_DELAY_MIN_CONFIG) + ")");
        }
        double total = fraudShares().values().stream().mapToDouble(Double::doubleValue).sum();
        if (total > 0.5) {
            problems.add(FRAUD_SHARE_PREFIX + "*: the shares add up to " + total + "; at most 0.5 of transactions "
                + "can be fraud");
        }
        if (getLong(BURST_DURATION_CONFIG) > getLong(BURST_INTERVAL_CONFIG)) {
            problems.add(BURST_DURATION_CONFIG + ": " + getLong(BURST_DURATION_CONFIG) + " is longer than "
                + BURST_INTERVAL_CONFIG + " (" + getLong(BURST_INTERVAL_CONFIG) + ")");
        }
        return problems;
    }

    public String scenario() {
        return getString(SCENARIO_CONFIG).toLowerCase(Locale.ROOT);
    }

    public String topic() {
        String topic = getString(TOPIC_CONFIG);
        return topic == null || topic.isBlank() ? scenario() : topic.trim();
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

    public boolean simulatedTime() {
        return "simulated".equalsIgnoreCase(getString(TIME_MODE_CONFIG));
    }

    /** Whether the simulated clock is placed by the connector ({@code simulated.start=auto}). */
    public boolean simulatedAutoStart() {
        return simulatedTime() && AUTO.equalsIgnoreCase(getString(SIMULATED_START_CONFIG).trim());
    }

    /** The configured start of the simulated clock; with {@code auto}, the one the connector handed the task. */
    public long simulatedStartMs() {
        if (AUTO.equalsIgnoreCase(getString(SIMULATED_START_CONFIG).trim())) {
            Object handed = values().get(TASK_CLOCK_START_CONFIG);
            if (!(handed instanceof Long ms) || ms == Long.MIN_VALUE) {
                throw new ConfigException(SIMULATED_START_CONFIG, AUTO, "the task was not handed a clock start by "
                    + "its connector");
            }
            return ms;
        }
        return Instant.parse(getString(SIMULATED_START_CONFIG).trim()).toEpochMilli();
    }

    /** Events per simulated second: from the population when simulated.events.per.user.per.day is set. */
    public double simulatedEventsPerSecond() {
        double perUserPerDay = getDouble(SIMULATED_PER_USER_CONFIG);
        return perUserPerDay > 0 ? getInt(USERS_CONFIG) * perUserPerDay / 86_400.0 : getDouble(SIMULATED_RATE_CONFIG);
    }

    /**
     * Where an auto clock starts when no offsets hold one yet: so that the stream's last event falls at {@code nowMs}
     * when max.events is set, else {@link #AUTO_BACKFILL_MS} before it.
     */
    long autoClockStart(long nowMs) {
        long span = maxEvents() > 0 ? (long) Math.ceil(maxEvents() * 1000.0 / simulatedEventsPerSecond())
            : AUTO_BACKFILL_MS;
        return nowMs - span;
    }

    public double invalidShare() {
        return getDouble(INVALID_SHARE_CONFIG);
    }

    public double lateShare() {
        return getDouble(LATE_SHARE_CONFIG);
    }

    public long lateMaxDelayMs() {
        return getLong(LATE_MAX_CONFIG);
    }

    RateShape rateShape() {
        return new RateShape(getDouble(DIURNAL_AMPLITUDE_CONFIG), getInt(DIURNAL_PEAK_CONFIG),
            getDouble(BURST_FACTOR_CONFIG), getLong(BURST_INTERVAL_CONFIG), getLong(BURST_DURATION_CONFIG));
    }

    public long catchupMaxMs() {
        return getLong(CATCHUP_CONFIG);
    }

    /** The reports topic, or null when reports are off. */
    public String reportsTopic() {
        String topic = getString(REPORTS_TOPIC_CONFIG);
        return topic == null || topic.isBlank() ? null : topic.trim();
    }

    Map<FraudPattern, Double> fraudShares() {
        Map<FraudPattern, Double> shares = new EnumMap<>(FraudPattern.class);
        for (FraudPattern p : FraudPattern.values()) {
            shares.put(p, getDouble(FRAUD_SHARE_PREFIX + p.label()));
        }
        return shares;
    }

    private long reportDelayMinMs() {
        return Math.round(getDouble(REPORTS_DELAY_MIN_CONFIG) * 3_600_000);
    }

    private long reportDelayMaxMs() {
        return Math.round(getDouble(REPORTS_DELAY_MAX_CONFIG) * 3_600_000);
    }

    public ScenarioSettings scenarioSettings() {
        return new ScenarioSettings(seed(), getInt(USERS_CONFIG), getInt(DEVICES_CONFIG), getInt(PRODUCTS_CONFIG),
            getBoolean(LABELS_CONFIG), fraudShares(), getDouble(REPORTS_SHARE_CONFIG), reportDelayMinMs(),
            reportDelayMaxMs());
    }

    List<Integer> taskLanes() {
        return getList(TASK_LANES_CONFIG).stream().map(Integer::parseInt).toList();
    }


    /** Recommends a fixed list of values (shown by the REST API's validate endpoint and UIs). */
    private record FixedRecommender(List<String> values) implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.copyOf(values);
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}
