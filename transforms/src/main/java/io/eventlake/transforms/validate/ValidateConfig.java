package io.eventlake.transforms.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.common.config.Validators;
import io.eventlake.transforms.util.FieldPathValidator;

/**
 * {@link Validate}'s keys, parsed once. Every rule key is a list of {@code <field path>:<spec>} entries with a fixed
 * name, so the worker's config validation (REST {@code PUT /connector-plugins/.../config/validate}) runs each
 * entry's parser and reports a malformed one under its key; per-field keys such as {@code range.amount} could not be
 * declared in a {@link ConfigDef} and would only fail when the task starts.
 */
final class ValidateConfig {

    static final String REQUIRED = "required";
    static final String TYPES = "types";
    static final String FORMATS = "formats";
    static final String RANGES = "ranges";
    static final String ALLOWED = "allowed";
    static final String PATTERNS = "patterns";
    static final String MAX_LENGTHS = "max.lengths";
    static final String EVENT_TIME_FIELD = "event.time.field";
    static final String EVENT_TIME_MAX_AGE_MS = "event.time.max.age.ms";
    static final String EVENT_TIME_MAX_FUTURE_MS = "event.time.max.future.ms";
    static final String ON_INVALID = "on.invalid";
    static final String QUARANTINE_TOPIC = "quarantine.topic";
    static final String HEADER_PREFIX = "header.prefix";

    static final String TOPIC_PLACEHOLDER = "${topic}";
    static final long DEFAULT_MAX_AGE_MS = 7 * 24 * 3_600_000L;
    static final long DEFAULT_MAX_FUTURE_MS = 5 * 60_000L;

    private static final String RULES_GROUP = "Rules";
    private static final String INVALID_GROUP = "Invalid records";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(REQUIRED, ConfigDef.Type.LIST, "", RuleSyntax.validator("field paths", RuleSyntax::required),
            ConfigDef.Importance.HIGH, "Fields that must be present and not null, e.g. user_id,amount,device.id. "
                + "Nested fields are dotted paths through Structs and Maps.",
            RULES_GROUP, 1, ConfigDef.Width.LONG, "Required fields")
        .define(TYPES, ConfigDef.Type.LIST, "", RuleSyntax.validator("<field>:<type>, type one of "
                + ValueType.NAMES, RuleSyntax::type),
            ConfigDef.Importance.MEDIUM, "Types of fields, e.g. amount:number,quantity:integer,tags:array. "
                + "integer is any whole number, number any number (decimals included), timestamp a Date, object "
                + "a Struct or Map.",
            RULES_GROUP, 2, ConfigDef.Width.LONG, "Types")
        .define(FORMATS, ConfigDef.Type.LIST, "", RuleSyntax.validator("<field>:<format>, format one of "
                + Format.NAMES, RuleSyntax::format),
            ConfigDef.Importance.MEDIUM, "String formats, e.g. email:email,website:url,event_id:uuid,"
                + "created:timestamp,currency:currency. timestamp is ISO-8601 with an offset "
                + "(2026-01-01T10:00:00Z), date is 2026-01-31, currency an ISO 4217 code.",
            RULES_GROUP, 3, ConfigDef.Width.LONG, "Formats")
        .define(RANGES, ConfigDef.Type.LIST, "", RuleSyntax.validator("<field>:<min>:<max>, bounds inclusive, "
                + "either may be empty", RuleSyntax::range),
            ConfigDef.Importance.MEDIUM, "Numeric ranges, inclusive, e.g. amount:0:100000,quantity:1:,"
                + "temperature:-40.5:85 (an empty bound is open). Applies to whole, floating point and decimal "
                + "numbers.",
            RULES_GROUP, 4, ConfigDef.Width.LONG, "Ranges")
        .define(ALLOWED, ConfigDef.Type.LIST, "", RuleSyntax.validator("<field>:<value>|<value>...",
                RuleSyntax::allowed),
            ConfigDef.Importance.MEDIUM, "Allowed values, separated by |, e.g. currency:USD|EUR|GBP,"
                + "event_type:login|purchase. Compared as text (numbers in plain decimal form).",
            RULES_GROUP, 5, ConfigDef.Width.LONG, "Allowed values")
        .define(PATTERNS, ConfigDef.Type.STRING, "", RuleSyntax.validator("<field>:<regex>, entries separated by "
                + "commas, a comma inside a regex written \\,", RuleSyntax::pattern),
            ConfigDef.Importance.MEDIUM, "Regular expressions (Java syntax) the whole field must match, e.g. "
                + "sku:[A-Z]{3}-\\d{4},user_id:user-\\d+. A comma inside a regex is written \\, (in JSON: \\\\,), "
                + "e.g. code:[0-9]{2\\,4}.",
            RULES_GROUP, 6, ConfigDef.Width.LONG, "Patterns")
        .define(MAX_LENGTHS, ConfigDef.Type.LIST, "", RuleSyntax.validator("<field>:<length>",
                RuleSyntax::maxLength),
            ConfigDef.Importance.MEDIUM, "Maximum lengths, e.g. user_id:64,comment:2000: characters (code "
                + "points) of a string, bytes of a bytes field, entries of an array or map.",
            RULES_GROUP, 7, ConfigDef.Width.LONG, "Maximum lengths")
        .define(EVENT_TIME_FIELD, ConfigDef.Type.STRING, "", FieldPathValidator.optional(), ConfigDef.Importance.MEDIUM,
            "Field holding the event time (a Timestamp, epoch milliseconds or an ISO-8601 string with an offset), "
                + "checked against the worker's clock with event.time.max.age.ms and event.time.max.future.ms; "
                + "empty: no event time check.",
            RULES_GROUP, 8, ConfigDef.Width.MEDIUM, "Event time field")
        .define(EVENT_TIME_MAX_AGE_MS, ConfigDef.Type.LONG, DEFAULT_MAX_AGE_MS, ConfigDef.Range.atLeast(-1),
            ConfigDef.Importance.MEDIUM, "An event time older than this many milliseconds is a violation "
                + "(default 7 days); -1: no limit.",
            RULES_GROUP, 9, ConfigDef.Width.SHORT, "Maximum event age")
        .define(EVENT_TIME_MAX_FUTURE_MS, ConfigDef.Type.LONG, DEFAULT_MAX_FUTURE_MS, ConfigDef.Range.atLeast(-1),
            ConfigDef.Importance.MEDIUM, "An event time further than this many milliseconds in the future is a "
                + "violation (default 5 minutes, for clock skew); -1: no limit.",
            RULES_GROUP, 10, ConfigDef.Width.SHORT, "Maximum event time skew")
        .define(ON_INVALID, ConfigDef.Type.STRING, OnInvalid.FAIL.label(),
            ConfigDef.CaseInsensitiveValidString.in("fail", "drop", "route", "tag"), ConfigDef.Importance.HIGH,
            "What happens to an invalid record. fail: a DataException naming every violation, so the connector's "
                + "errors.tolerance and dead letter queue apply. drop: filtered out and counted. route: sent to "
                + "quarantine.topic with the violation headers. tag: kept with the violation headers.",
            INVALID_GROUP, 1, ConfigDef.Width.SHORT, "On invalid")
        .define(QUARANTINE_TOPIC, ConfigDef.Type.STRING, TOPIC_PLACEHOLDER + "-quarantine",
            Validators.of("a topic name; ${topic} stands for the record's topic", v -> !v.trim().isEmpty()
                && v.replace(TOPIC_PLACEHOLDER, "t").matches("[a-zA-Z0-9._-]+"), "not a topic name (letters, "
                + "digits, '.', '_', '-'; ${topic} for the record's topic)"),
            ConfigDef.Importance.MEDIUM, "Topic of invalid records when on.invalid=route; ${topic} is replaced by "
                + "the record's topic. On a source connector the records are written there; on a sink connector "
                + "the sink receives them under this topic name.",
            INVALID_GROUP, 2, ConfigDef.Width.MEDIUM, "Quarantine topic")
        .define(HEADER_PREFIX, ConfigDef.Type.STRING, ViolationHeaders.DEFAULT_PREFIX, new ConfigDef.NonEmptyString(),
            ConfigDef.Importance.LOW, "Prefix of the violation headers (violations, violation.count, rules, "
                + "original.topic, ...).",
            INVALID_GROUP, 3, ConfigDef.Width.MEDIUM, "Header prefix");

    /** Keys a user might write from the per-field style (range.amount=0:100), refused with the list syntax. */
    private static final Map<String, String> PER_FIELD_HINTS = Map.ofEntries(
        Map.entry("required.", REQUIRED), Map.entry("type.", TYPES), Map.entry("types.", TYPES),
        Map.entry("format.", FORMATS), Map.entry("formats.", FORMATS), Map.entry("range.", RANGES),
        Map.entry("ranges.", RANGES), Map.entry("allowed.", ALLOWED), Map.entry("regex.", PATTERNS),
        Map.entry("pattern.", PATTERNS), Map.entry("patterns.", PATTERNS), Map.entry("max.length.", MAX_LENGTHS),
        Map.entry("max.lengths.", MAX_LENGTHS));

    private final RuleSet rules;
    private final OnInvalid onInvalid;
    private final String quarantineTopic;
    private final String headerPrefix;

    ValidateConfig(Map<String, ?> props, Time time) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        refusePerFieldKeys(props);
        List<Rule> all = new ArrayList<>();
        all.addAll(RuleSyntax.parseAll(REQUIRED, config.getList(REQUIRED), RuleSyntax::required));
        all.addAll(RuleSyntax.parseAll(TYPES, config.getList(TYPES), RuleSyntax::type));
        all.addAll(RuleSyntax.parseAll(FORMATS, config.getList(FORMATS), RuleSyntax::format));
        all.addAll(RuleSyntax.parseAll(RANGES, config.getList(RANGES), RuleSyntax::range));
        all.addAll(RuleSyntax.parseAll(ALLOWED, config.getList(ALLOWED), RuleSyntax::allowed));
        all.addAll(RuleSyntax.parseAll(PATTERNS, config.getString(PATTERNS), RuleSyntax::pattern));
        all.addAll(RuleSyntax.parseAll(MAX_LENGTHS, config.getList(MAX_LENGTHS), RuleSyntax::maxLength));
        String timeField = config.getString(EVENT_TIME_FIELD).trim();
        if (!timeField.isEmpty()) {
            all.add(new EventTimeRule(RuleSyntax.path(timeField), config.getLong(EVENT_TIME_MAX_AGE_MS),
                config.getLong(EVENT_TIME_MAX_FUTURE_MS), time));
        }
        if (all.isEmpty()) {
            throw new ConfigException("Validate has no rule: set at least one of " + REQUIRED + ", " + TYPES + ", "
                + FORMATS + ", " + RANGES + ", " + ALLOWED + ", " + PATTERNS + ", " + MAX_LENGTHS + ", "
                + EVENT_TIME_FIELD);
        }
        this.rules = new RuleSet(all);
        this.onInvalid = OnInvalid.valueOf(config.getString(ON_INVALID).trim().toUpperCase(Locale.ROOT));
        this.quarantineTopic = config.getString(QUARANTINE_TOPIC).trim();
        this.headerPrefix = config.getString(HEADER_PREFIX);
    }

    private static void refusePerFieldKeys(Map<String, ?> props) {
        for (Map.Entry<String, ?> e : props.entrySet()) {
            for (Map.Entry<String, String> hint : PER_FIELD_HINTS.entrySet()) {
                if (e.getKey().startsWith(hint.getKey())) {
                    throw new ConfigException(e.getKey(), e.getValue(), "unknown key: rules are lists under fixed "
                        + "keys, e.g. " + hint.getValue() + "=" + e.getKey().substring(hint.getKey().length())
                        + ":...");
                }
            }
        }
    }

    RuleSet rules() {
        return rules;
    }

    OnInvalid onInvalid() {
        return onInvalid;
    }

    /** The quarantine topic of a record's topic. */
    String quarantineTopic(String topic) {
        return quarantineTopic.replace(TOPIC_PLACEHOLDER, topic == null ? "" : topic);
    }

    String headerPrefix() {
        return headerPrefix;
    }
}
