package io.eventlake.transforms.fraud;

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
import io.eventlake.transforms.fraud.feedback.ReportInbox;
import io.eventlake.transforms.fraud.rules.Rule;
import io.eventlake.transforms.fraud.state.StateLimits;
import io.eventlake.transforms.util.FieldPath;

/**
 * The fraud transform's configuration, parsed once: the record's fields, the output, the state bounds, then the
 * rules ({@link RuleSettings}) and the reports feed ({@link FeedbackSettings}). Cross-setting rules throw a
 * {@link ConfigException} naming the key.
 */
public final class FraudFlagConfig extends AbstractConfig {

    static final String FIELDS_GROUP = "Fields";
    static final String OUTPUT_GROUP = "Output";
    static final String STATE_GROUP = "State";

    public static final String MISSING_CONFIG = "fields.missing";
    public static final String OUTPUT_MODE_CONFIG = "output.mode";
    public static final String FLAG_NAME_CONFIG = "output.flag.name";
    public static final String SCORE_NAME_CONFIG = "output.score.name";
    public static final String REASONS_NAME_CONFIG = "output.reasons.name";
    public static final String THRESHOLD_CONFIG = "flag.threshold";
    public static final String MAX_KEYS_CONFIG = "state.max.keys";
    public static final String TTL_CONFIG = "state.ttl.ms";

    /** Output as fields appended to the value, or as record headers. */
    public enum OutputMode { FIELDS, HEADERS }

    private static final ConfigDef.Validator FIELD_PATH = Validators.of("a field path (names separated by dots) or "
        + "empty", v -> v.isBlank() || FieldPath.parse(v) != null, "not a field path such as amount or device.id");
    private static final ConfigDef.Validator NAME = new ConfigDef.NonEmptyString();

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        for (Input input : Input.values()) {
            def.define(input.configKey(), Type.STRING, input.defaultPath(), FIELD_PATH, Importance.HIGH,
                input.doc() + " A dotted path into the value; empty when the stream has no such field (rules that "
                    + "need it must then be switched off).", FIELDS_GROUP, ++order, Width.MEDIUM, input.configKey());
        }
        def.define(MISSING_CONFIG, Type.STRING, "skip", ConfigDef.CaseInsensitiveValidString.in("skip", "fail"),
            Importance.MEDIUM, "A record lacking a field a rule needs (or with an unusable value): skip judges it "
                + "by the other rules; fail stops with a DataException naming the record and the field (or sends "
                + "it to the dead letter queue with errors.tolerance=all).", FIELDS_GROUP, ++order, Width.SHORT,
            "Missing fields");

        order = 0;
        def.define(OUTPUT_MODE_CONFIG, Type.STRING, "fields", ConfigDef.CaseInsensitiveValidString.in("fields",
                "headers"), Importance.HIGH, "fields appends the flag, score and reasons to the value (a new "
                + "schema derived once per input schema); headers adds them as record headers and leaves the value "
                + "as it is.", OUTPUT_GROUP, ++order, Width.SHORT, "Output mode")
            .define(FLAG_NAME_CONFIG, Type.STRING, "fraud_flagged", NAME, Importance.MEDIUM, "Name of the boolean "
                + "flag: the score reached flag.threshold.", OUTPUT_GROUP, ++order, Width.MEDIUM, "Flag name")
            .define(SCORE_NAME_CONFIG, Type.STRING, "fraud_score", NAME, Importance.MEDIUM, "Name of the score "
                + "(float64, 0-1, rising with risk: sort by it to rank records).", OUTPUT_GROUP, ++order,
                Width.MEDIUM, "Score name")
            .define(REASONS_NAME_CONFIG, Type.STRING, "fraud_reasons", NAME, Importance.MEDIUM, "Name of the "
                + "reasons: the names of the rules that fired (array of strings; empty when none).", OUTPUT_GROUP,
                ++order, Width.MEDIUM, "Reasons name")
            .define(THRESHOLD_CONFIG, Type.DOUBLE, 0.5, Range.between(0.0, 1.0), Importance.HIGH, "A record is "
                + "flagged when its score reaches this. Default 0.5: any one strong rule firing, or two weaker "
                + "ones together.", OUTPUT_GROUP, ++order, Width.SHORT, "Flag threshold");

        order = 0;
        def.define(MAX_KEYS_CONFIG, Type.INT, 100_000, Range.between(1, 100_000_000), Importance.MEDIUM, "Most keys "
                + "of each kind (users, cards, merchants; the rules keyed alike share one table) kept per task; the "
                + "least recently seen is evicted first. See doc/fraud.md for the bytes per key of each rule.",
                STATE_GROUP, ++order, Width.SHORT, "Max keys per kind of key")
            .define(TTL_CONFIG, Type.LONG, 30 * RuleSettings.DAY, Range.atLeast(1), Importance.MEDIUM, "A key idle "
                + "for this much event time is dropped (a rule with a longer window keeps keys for its window). "
                + "Default 30 days.", STATE_GROUP, ++order, Width.SHORT, "State TTL");
        RuleSettings.define(def);
        FeedbackSettings.define(def);
        RestoreSettings.define(def);
        return def;
    }

    private final Map<Input, FieldPath> paths = new EnumMap<>(Input.class);

    public FraudFlagConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
        for (Input input : Input.values()) {
            FieldPath p = path(this, input.configKey(), false);
            if (p != null) {
                paths.put(input, p);
            }
        }
        List<String> names = List.of(getString(FLAG_NAME_CONFIG), getString(SCORE_NAME_CONFIG),
            getString(REASONS_NAME_CONFIG));
        if (names.stream().distinct().count() < names.size()) {
            throw new ConfigException(REASONS_NAME_CONFIG, getString(REASONS_NAME_CONFIG), "the flag, score and "
                + "reasons names must differ: " + names);
        }
        if (RestoreSettings.topic(this) != null && FeedbackSettings.bootstrap(this) == null) {
            throw new ConfigException(RestoreSettings.TOPIC, RestoreSettings.topic(this), "needs "
                + FeedbackSettings.BOOTSTRAP + " (the restore reads the topic with the feedback consumer's settings)");
        }
        if ((FeedbackSettings.topic(this) != null || RestoreSettings.topic(this) != null)
            && FeedbackSettings.bootstrap(this) != null) {
            try {
                Class.forName(FeedbackSettings.converterClass(this), false, converterLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(FeedbackSettings.CONVERTER, FeedbackSettings.converterClass(this),
                    "class not found");
            }
        }
    }

    static ClassLoader converterLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : FraudFlagConfig.class.getClassLoader();
    }

    /** The path configured under {@code key}, or null when it is empty (an error if {@code required}). */
    static FieldPath path(AbstractConfig c, String key, boolean required) {
        String v = c.getString(key);
        if (v == null || v.isBlank()) {
            if (required) {
                throw new ConfigException(key, v, "must name a field");
            }
            return null;
        }
        try {
            return FieldPath.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, v, e.getMessage());
        }
    }

    public boolean has(Input input) {
        return paths.containsKey(input);
    }

    public EventFields eventFields() {
        return new EventFields(paths);
    }

    public boolean failOnMissing() {
        return "fail".equalsIgnoreCase(getString(MISSING_CONFIG));
    }

    public OutputMode outputMode() {
        return OutputMode.valueOf(getString(OUTPUT_MODE_CONFIG).toUpperCase(Locale.ROOT));
    }

    public String flagName() {
        return getString(FLAG_NAME_CONFIG);
    }

    public String scoreName() {
        return getString(SCORE_NAME_CONFIG);
    }

    public String reasonsName() {
        return getString(REASONS_NAME_CONFIG);
    }

    public double threshold() {
        return getDouble(THRESHOLD_CONFIG);
    }

    public StateLimits stateLimits() {
        return new StateLimits(getInt(MAX_KEYS_CONFIG), getLong(TTL_CONFIG));
    }

    /** The reports topic, or null when the feedback rules are off. */
    public String feedbackTopic() {
        return FeedbackSettings.topic(this);
    }

    /** The reports' bootstrap servers, or null when no consumer is started. */
    public String feedbackBootstrap() {
        return FeedbackSettings.bootstrap(this);
    }

    public long feedbackCatchupTimeoutMs() {
        return getLong(FeedbackSettings.CATCHUP_TIMEOUT);
    }

    /** The topic the state is restored from, or null. */
    public String restoreTopic() {
        return RestoreSettings.topic(this);
    }

    public long restoreTimeoutMs() {
        return getLong(RestoreSettings.TIMEOUT);
    }

    public Map<String, Object> restoreConsumerProps() {
        return RestoreSettings.consumerProps(this);
    }

    public Map<String, Object> feedbackConsumerProps() {
        return FeedbackSettings.consumerProps(this);
    }

    public String feedbackConverterClass() {
        return FeedbackSettings.converterClass(this);
    }

    public Map<String, Object> feedbackConverterProps() {
        return FeedbackSettings.converterProps(this);
    }

    /** The enabled rules, made afresh (with empty state). */
    public List<Rule> rules() {
        return RuleSettings.create(this, this, stateLimits(), feedbackTopic() != null);
    }

    /** A detector with fresh state; its inbox exists when the feedback rules are on. */
    public FraudDetector detector() {
        return new FraudDetector(eventFields(), rules(), threshold(), failOnMissing(), newInbox(),
            FeedbackSettings.learning(this));
    }

    /** A queue for the reports consumer; null when no feedback is configured. */
    ReportInbox newInbox() {
        return feedbackTopic() == null ? null : new ReportInbox(FeedbackSettings.parser(this), INBOX_CAPACITY);
    }

    boolean partitionScope() {
        return RestoreSettings.partitionScope(this);
    }

    static final int INBOX_CAPACITY = 10_000;
}
