package io.eventlake.transforms.enrich;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.FieldPathValidator;

/** {@link Enrich}'s keys, parsed once; the cross-key checks ({@code lookup.source} needs its own keys) are here. */
final class EnrichConfig {

    static final String SOURCE = "lookup.source";
    static final String KEY_FIELD = "lookup.key.field";
    static final String FIELDS = "lookup.fields";
    static final String FIELD_TYPES = "lookup.field.types";
    static final String OUTPUT_PREFIX = "lookup.output.prefix";
    static final String STATUS_FIELD = "lookup.status.field";
    static final String DEFAULTS = "lookup.defaults";
    static final String MAX_ENTRIES = "lookup.max.entries";
    static final String FILE_PATH = "lookup.file.path";
    static final String FILE_FORMAT = "lookup.file.format";
    static final String FILE_KEY_COLUMN = "lookup.file.key.column";
    static final String FILE_RELOAD_INTERVAL_MS = "lookup.file.reload.interval.ms";
    static final String TOPIC = "lookup.topic";
    static final String TOPIC_BOOTSTRAP_SERVERS = "lookup.topic.bootstrap.servers";
    static final String TOPIC_KEY_CONVERTER = "lookup.topic.key.converter";
    static final String TOPIC_VALUE_CONVERTER = "lookup.topic.value.converter";
    static final String TOPIC_LOAD_TIMEOUT_MS = "lookup.topic.initial.load.timeout.ms";
    static final String TOPIC_LOAD_ON_TIMEOUT = "lookup.topic.initial.load.on.timeout";
    static final String TOPIC_CONSUMER_PREFIX = "lookup.topic.consumer.";

    static final String DEFAULT_STATUS_FIELD = "enrich_status";
    static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    enum Source { FILE, TOPIC }

    private static final String LOOKUP = "Lookup";
    private static final String FILE = "File";
    private static final String TOPIC_GROUP = "Topic";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(SOURCE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
            ConfigDef.CaseInsensitiveValidString.in("file", "topic"), ConfigDef.Importance.HIGH,
            "Where the reference data comes from: file (a CSV or JSON file, reloaded when it changes) or topic (a "
                + "compacted Kafka topic held in memory, kept up to date by a background consumer).",
            LOOKUP, 1, ConfigDef.Width.SHORT, "Source")
        .define(KEY_FIELD, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, FieldPathValidator.required(),
            ConfigDef.Importance.HIGH, "Field of the record holding the lookup key (a dotted path for a nested "
                + "field). Keys are compared as text: 42 finds the reference key \"42\".",
            LOOKUP, 2, ConfigDef.Width.MEDIUM, "Key field")
        .define(FIELDS, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, EnrichValidators.names(),
            ConfigDef.Importance.HIGH, "Reference fields to add to the record, e.g. tier,country,credit_limit: "
                + "CSV columns, JSON properties, or fields of the topic's values.",
            LOOKUP, 3, ConfigDef.Width.LONG, "Fields")
        .define(FIELD_TYPES, ConfigDef.Type.LIST, "", EnrichValidators.pairs("<field>:<type>, type one of "
                + FieldType.NAMES, v -> FieldType.parse(v)),
            ConfigDef.Importance.MEDIUM, "Types of added fields, e.g. credit_limit:float64,vip:boolean. A field "
                + "not listed gets a type inferred once from the data of the first load (then fixed for the "
                + "task's life): all true/false gives boolean, all whole numbers int64, all numbers float64, "
                + "anything else string. CSV cells count as numbers when they look like one (not with a leading "
                + "zero).",
            LOOKUP, 4, ConfigDef.Width.LONG, "Field types")
        .define(OUTPUT_PREFIX, ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW,
            "Prefix of the added fields' names (e.g. user_ gives user_tier).",
            LOOKUP, 5, ConfigDef.Width.SHORT, "Output prefix")
        .define(STATUS_FIELD, ConfigDef.Type.STRING, DEFAULT_STATUS_FIELD, ConfigDef.Importance.MEDIUM,
            "Field that says how the lookup went: hit, miss (unknown key), no_key (the key field is missing or "
                + "null) or loading (a miss while the first load of the topic is still under way); empty: no "
                + "status field.",
            LOOKUP, 6, ConfigDef.Width.MEDIUM, "Status field")
        .define(DEFAULTS, ConfigDef.Type.LIST, "", EnrichValidators.pairs("<field>:<value>", v -> v),
            ConfigDef.Importance.MEDIUM, "Values of added fields when the key is unknown or missing, e.g. "
                + "tier:standard,credit_limit:0; a field not listed is null.",
            LOOKUP, 7, ConfigDef.Width.LONG, "Defaults")
        .define(MAX_ENTRIES, ConfigDef.Type.INT, DEFAULT_MAX_ENTRIES, ConfigDef.Range.atLeast(1),
            ConfigDef.Importance.MEDIUM, "Most keys held. A file with more is refused (the table in service "
                + "stays); from a topic, new keys beyond it are refused and counted (rejected-entries-total), "
                + "updates and deletes of held keys still apply. Every task holds its own table.",
            LOOKUP, 8, ConfigDef.Width.SHORT, "Maximum entries")
        .define(FILE_PATH, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
            "The reference file (lookup.source=file), on every worker running a task. Replace it by writing a new "
                + "file and moving it into place.",
            FILE, 1, ConfigDef.Width.LONG, "File")
        .define(FILE_FORMAT, ConfigDef.Type.STRING, "csv", ConfigDef.CaseInsensitiveValidString.in("csv", "json"),
            ConfigDef.Importance.MEDIUM, "csv: a header row, then one row per key (RFC 4180). json: an array of "
                + "objects, or one object whose property names are the keys.",
            FILE, 2, ConfigDef.Width.SHORT, "Format")
        .define(FILE_KEY_COLUMN, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
            "CSV column or JSON property holding the key; empty: the last name of lookup.key.field (user_id for "
                + "user.user_id).",
            FILE, 3, ConfigDef.Width.MEDIUM, "Key column")
        .define(FILE_RELOAD_INTERVAL_MS, ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.atLeast(0),
            ConfigDef.Importance.LOW, "How often a background thread looks at the file's modification time and "
                + "size; a change is loaded once it is seen unchanged at two looks in a row (so within two "
                + "intervals). 0: never reload.",
            FILE, 4, ConfigDef.Width.SHORT, "Reload interval")
        .define(TOPIC, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
            "The compacted topic (lookup.source=topic): its record key is the lookup key, its value holds the "
                + "fields; a tombstone deletes the key.",
            TOPIC_GROUP, 1, ConfigDef.Width.MEDIUM, "Topic")
        .define(TOPIC_BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
            "Brokers of the lookup topic's cluster (transforms do not see the worker's settings). Other consumer "
                + "settings (security, isolation.level, ...) are passed with the prefix lookup.topic.consumer.",
            TOPIC_GROUP, 2, ConfigDef.Width.LONG, "Bootstrap servers")
        .define(TOPIC_KEY_CONVERTER, ConfigDef.Type.STRING, "org.apache.kafka.connect.storage.StringConverter",
            EnrichValidators.className(), ConfigDef.Importance.MEDIUM,
            "Converter of the lookup topic's keys; settings with the prefix lookup.topic.key.converter.",
            TOPIC_GROUP, 3, ConfigDef.Width.LONG, "Key converter")
        .define(TOPIC_VALUE_CONVERTER, ConfigDef.Type.STRING, "org.apache.kafka.connect.json.JsonConverter",
            EnrichValidators.className(), ConfigDef.Importance.MEDIUM,
            "Converter of the lookup topic's values (Struct or Map values); settings with the prefix "
                + "lookup.topic.value.converter. (e.g. lookup.topic.value.converter.schemas.enable=false for plain "
                + "JSON).",
            TOPIC_GROUP, 4, ConfigDef.Width.LONG, "Value converter")
        .define(TOPIC_LOAD_TIMEOUT_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(0),
            ConfigDef.Importance.MEDIUM, "The first record a task transforms waits up to this long for the "
                + "topic to be read up to the end offsets it had at start.",
            TOPIC_GROUP, 5, ConfigDef.Width.SHORT, "Initial load timeout")
        .define(TOPIC_LOAD_ON_TIMEOUT, ConfigDef.Type.STRING, "fail",
            ConfigDef.CaseInsensitiveValidString.in("fail", "proceed"), ConfigDef.Importance.MEDIUM,
            "When the initial load is not done in time: fail the task (a restart tries again), or proceed with "
                + "the part loaded (lookups of keys not loaded yet get status loading) while loading goes on.",
            TOPIC_GROUP, 6, ConfigDef.Width.SHORT, "On load timeout");

    private final SimpleConfig config;
    private final Source source;
    private final FieldPath keyField;
    private final List<String> fields;
    private final Map<String, FieldType> fieldTypes = new HashMap<>();
    private final Map<String, String> defaults = new HashMap<>();

    EnrichConfig(Map<String, ?> props) {
        config = new SimpleConfig(CONFIG_DEF, props);
        source = Source.valueOf(config.getString(SOURCE).trim().toUpperCase(Locale.ROOT));
        keyField = FieldPath.parse(config.getString(KEY_FIELD));
        fields = config.getList(FIELDS);
        for (Map.Entry<String, String> e : EnrichValidators.pairsOf(config.getList(FIELD_TYPES)).entrySet()) {
            requireListed(FIELD_TYPES, e.getKey());
            fieldTypes.put(e.getKey(), FieldType.parse(e.getValue()));
        }
        for (Map.Entry<String, String> e : EnrichValidators.pairsOf(config.getList(DEFAULTS)).entrySet()) {
            requireListed(DEFAULTS, e.getKey());
            defaults.put(e.getKey(), e.getValue());
            FieldType declared = fieldTypes.get(e.getKey());
            if (declared != null) {
                try {
                    declared.convert(e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(DEFAULTS, config.getList(DEFAULTS), e.getKey() + ": " + ex.getMessage());
                }
            }
        }
        String status = statusField();
        Set<String> outputs = new HashSet<>();
        for (String f : fields) {
            outputs.add(outputPrefix() + f);
        }
        if (outputs.contains(status)) {
            throw new ConfigException(STATUS_FIELD, status, "clashes with an added field; choose another name");
        }
        if (source == Source.FILE) {
            requireSet(FILE_PATH, "lookup.source=file");
        } else {
            requireSet(TOPIC, "lookup.source=topic");
            requireSet(TOPIC_BOOTSTRAP_SERVERS, "lookup.source=topic");
        }
    }

    private void requireListed(String key, String field) {
        if (!fields.contains(field)) {
            throw new ConfigException(key, config.originals().get(key), "'" + field + "' is not one of " + FIELDS
                + " " + fields);
        }
    }

    private void requireSet(String key, String because) {
        if (config.getString(key).trim().isEmpty()) {
            throw new ConfigException(key, config.getString(key), "required with " + because);
        }
    }

    Source source() {
        return source;
    }

    FieldPath keyField() {
        return keyField;
    }

    int maxEntries() {
        return config.getInt(MAX_ENTRIES);
    }

    String outputPrefix() {
        return config.getString(OUTPUT_PREFIX);
    }

    String statusField() {
        return config.getString(STATUS_FIELD).trim();
    }

    Columns columns() {
        return new Columns(fields, fieldTypes, source == Source.FILE && fileFormat() == FileFormat.CSV,
            outputPrefix(), statusField(), defaults);
    }

    Path filePath() {
        return Path.of(config.getString(FILE_PATH).trim());
    }

    FileFormat fileFormat() {
        return FileFormat.valueOf(config.getString(FILE_FORMAT).trim().toUpperCase(Locale.ROOT));
    }

    String fileKeyColumn() {
        String column = config.getString(FILE_KEY_COLUMN).trim();
        if (!column.isEmpty()) {
            return column;
        }
        List<String> segments = keyField.segments();
        return segments.get(segments.size() - 1);
    }

    long fileReloadIntervalMs() {
        return config.getLong(FILE_RELOAD_INTERVAL_MS);
    }

    String topic() {
        return config.getString(TOPIC).trim();
    }

    long topicLoadTimeoutMs() {
        return config.getLong(TOPIC_LOAD_TIMEOUT_MS);
    }

    boolean proceedOnLoadTimeout() {
        return config.getString(TOPIC_LOAD_ON_TIMEOUT).trim().equalsIgnoreCase("proceed");
    }

    /** The lookup consumer's settings: the pass-through ones, then those it must have. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new LinkedHashMap<>(config.originalsWithPrefix(TOPIC_CONSUMER_PREFIX));
        c.put("bootstrap.servers", config.getString(TOPIC_BOOTSTRAP_SERVERS).trim());
        c.put("enable.auto.commit", "false");
        c.put("auto.offset.reset", "earliest");
        c.putIfAbsent("client.id", "eventlake-enrich-" + topic());
        return c;
    }

    String keyConverterClass() {
        return config.getString(TOPIC_KEY_CONVERTER).trim();
    }

    String valueConverterClass() {
        return config.getString(TOPIC_VALUE_CONVERTER).trim();
    }

    Map<String, Object> keyConverterConfig() {
        return config.originalsWithPrefix(TOPIC_KEY_CONVERTER + ".");
    }

    Map<String, Object> valueConverterConfig() {
        return config.originalsWithPrefix(TOPIC_VALUE_CONVERTER + ".");
    }
}
