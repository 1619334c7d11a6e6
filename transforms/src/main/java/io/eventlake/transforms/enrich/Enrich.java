package io.eventlake.transforms.enrich;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.transforms.util.AddedFields;
import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.PluginCounters;
import io.eventlake.transforms.util.RecordDescription;
import io.eventlake.transforms.util.RecordPart;

/**
 * Adds fields from reference data found by a key field of the record: a CSV or JSON file, or a compacted topic
 * held in memory. The added fields' schema is derived once per input schema and cached.
 */
public abstract class Enrich<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    private static final Logger log = LoggerFactory.getLogger(Enrich.class);

    public static final String STATUS_HIT = "hit";
    public static final String STATUS_MISS = "miss";
    public static final String STATUS_NO_KEY = "no_key";
    public static final String STATUS_LOADING = "loading";

    public static final String OVERVIEW_DOC = "Adds fields from reference data, looked up by a key field of the "
        + "record: a CSV or JSON file (reloaded when it changes, a broken new file keeps the old table) or a "
        + "compacted Kafka topic held in memory by a background consumer (a table join: the last value of a key "
        + "wins, tombstones delete). The added fields get a proper schema (types declared or inferred from the "
        + "data); an unknown key gets configured defaults or nulls, and a status field says hit, miss, no_key or "
        + "loading. Struct and schemaless Map values; tombstones pass untouched. Use <code>" + Key.class.getName()
        + "</code> for the record key, <code>" + Value.class.getName() + "</code> for the value.";

    public static final ConfigDef CONFIG_DEF = EnrichConfig.CONFIG_DEF;

    private final Time time;
    private FieldPath keyField;
    private Columns columns;
    private ReferenceData reference;
    private boolean ready;
    private AddedFields added;
    private int width;

    private final PluginCounters metrics = new PluginCounters();
    private final LongAdder lookups = metrics.counter("lookups-total", "Records looked up (tombstones excluded).");
    private final LongAdder hits = metrics.counter("hits-total", "Lookups that found their key.");
    private final LongAdder misses = metrics.counter("misses-total", "Lookups of an unknown key (loading included).");
    private final LongAdder noKey = metrics.counter("no-key-total", "Records whose key field is missing or null.");

    private final RecordPart part;

    Enrich(RecordPart part, Time time) {
        this.part = part;
        this.time = time;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> props) {
        EnrichConfig config = new EnrichConfig(props);
        keyField = config.keyField();
        columns = config.columns();
        reference = config.source() == EnrichConfig.Source.FILE ? fileData(config) : topicData(config);
        log.info("Enrich ({}) configured: {} fields from {}", getClass().getSimpleName(), columns.size(),
            config.source() == EnrichConfig.Source.FILE ? config.filePath() : "topic " + config.topic());
    }

    private ReferenceData fileData(EnrichConfig config) {
        try {
            return new FileReferenceData(config.filePath(), config.fileFormat(), config.fileKeyColumn(), columns,
                config.maxEntries(), metrics).watch(config.fileReloadIntervalMs());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(EnrichConfig.FILE_PATH, config.filePath().toString(), "cannot be loaded: "
                + e.getMessage());
        }
    }

    private ReferenceData topicData(EnrichConfig config) {
        Converter keys = converter(EnrichConfig.TOPIC_KEY_CONVERTER, config.keyConverterClass());
        keys.configure(config.keyConverterConfig(), true);
        Converter values = converter(EnrichConfig.TOPIC_VALUE_CONVERTER, config.valueConverterClass());
        values.configure(config.valueConverterConfig(), false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.consumerConfig(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new TopicReferenceData(config.topic(), consumer, keys, values, columns, config.maxEntries(),
            config.topicLoadTimeoutMs(), config.proceedOnLoadTimeout(), time, metrics).start();
    }

    private static Converter converter(String key, String className) {
        try {
            Class<?> c = Class.forName(className, true, Enrich.class.getClassLoader());
            return Utils.newInstance(c.asSubclass(Converter.class));
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ConfigException(key, className, e instanceof ClassCastException ? "not a Converter"
                : "class not found");
        }
    }

    /** For tests: reference data made elsewhere, with its own columns. */
    void configure(Map<String, ?> props, ReferenceData data) {
        keyField = new EnrichConfig(props).keyField();
        columns = data.columns();
        reference = data;
    }

    ReferenceData reference() {
        return reference;
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics);
    }

    /** The counters and gauges by name, for tests; the same figures are published as metrics. */
    public long metric(String name) {
        return metrics.get(name);
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        if (!ready) {
            reference.awaitReady();
            added = columns.added();
            width = columns.size() + (columns.hasStatus() ? 1 : 0);
            ready = true;
        }
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new DataException("Enrich needs a Struct or Map " + part + "; record "
                + RecordDescription.of(record) + " has a " + value.getClass().getSimpleName());
        }
        lookups.increment();
        Object key = keyField.get(value);
        Object[] row = null;
        String status;
        if (key == null) {
            noKey.increment();
            status = STATUS_NO_KEY;
        } else {
            row = reference.get(KeyText.of(key));
            if (row != null) {
                hits.increment();
                status = STATUS_HIT;
            } else {
                misses.increment();
                status = reference.loading() ? STATUS_LOADING : STATUS_MISS;
            }
        }
        Object[] values = new Object[width];
        System.arraycopy(row != null ? row : columns.defaults(), 0, values, 0, columns.size());
        if (columns.hasStatus()) {
            values[width - 1] = status;
        }
        try {
            if (value instanceof Struct struct) {
                Schema schema = added.schemaFor(struct.schema());
                return newRecord(record, schema, added.extend(struct, schema, values));
            }
            return newRecord(record, null, added.extend((Map<?, ?>) value, values));
        } catch (DataException e) {
            throw new DataException("Record " + RecordDescription.of(record) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (reference != null) {
            reference.close();
        }
    }

    private Object operatingValue(R record) {
        return part.of(record);
    }

    private R newRecord(R record, Schema schema, Object value) {
        return part.with(record, schema, value);
    }

    /** Enriches the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends Enrich<R> {
        public Key() {
            super(RecordPart.KEY, Time.SYSTEM);
        }
    }

    /** Enriches the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends Enrich<R> {
        public Value() {
            super(RecordPart.VALUE, Time.SYSTEM);
        }

        Value(Time time) {
            super(RecordPart.VALUE, time);
        }
    }
}
