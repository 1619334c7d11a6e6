package io.eventlake.transforms.validate;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.transforms.util.PluginCounters;
import io.eventlake.transforms.util.RecordDescription;

/**
 * Checks each record against configured rules and fails, drops, routes or tags the invalid ones. Every record is
 * counted (see {@link ValidationCounts}); the counts are published as worker metrics.
 */
public abstract class Validate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    private static final Logger log = LoggerFactory.getLogger(Validate.class);

    public static final String OVERVIEW_DOC = "Checks records against rules from the config: required fields, "
        + "types, formats (email, URL, UUID, ISO-8601 timestamp and date, currency code), numeric ranges, allowed "
        + "values, regular expressions, maximum lengths and an event time window; nested fields by dotted path, in "
        + "Struct and schemaless Map values alike. An invalid record fails the task (so errors.tolerance and the "
        + "dead letter queue apply), is dropped, routed to a quarantine topic or tagged, as on.invalid says; routed "
        + "and tagged records carry headers listing every violation. Tombstones pass untouched. Counts of valid, "
        + "quarantined, dropped, tagged and failed records are worker metrics (group plugins). "
        + "Use <code>" + Key.class.getName() + "</code> for the record key, <code>" + Value.class.getName()
        + "</code> for the value.";

    public static final ConfigDef CONFIG_DEF = ValidateConfig.CONFIG_DEF;

    private final Time time;
    private RuleSet rules;
    private OnInvalid onInvalid;
    private ValidateConfig config;
    private ViolationHeaders headers;

    private final PluginCounters metrics = new PluginCounters();
    private final LongAdder records = metrics.counter("records-total",
        "Records validated (tombstones excluded): valid + quarantined + dropped + tagged + failed.");
    private final LongAdder valid = metrics.counter("valid-total", "Records that broke no rule.");
    private final LongAdder invalid = metrics.counter("invalid-total", "Records that broke at least one rule.");
    private final LongAdder quarantined = metrics.counter("quarantined-total",
        "Invalid records routed to the quarantine topic.");
    private final LongAdder dropped = metrics.counter("dropped-total", "Invalid records dropped.");
    private final LongAdder tagged = metrics.counter("tagged-total", "Invalid records passed on with headers.");
    private final LongAdder failed = metrics.counter("failed-total",
        "Invalid records failed with a DataException (then handled by errors.tolerance / the dead letter queue).");
    private final LongAdder violations = metrics.counter("violations-total", "Rule violations found.");
    private final LongAdder tombstones = metrics.counter("tombstones-total", "Tombstones passed through.");

    protected Validate() {
        this(Time.SYSTEM);
    }

    /** For tests: another clock for the event time rule. */
    Validate(Time time) {
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
        config = new ValidateConfig(props, time);
        rules = config.rules();
        onInvalid = config.onInvalid();
        headers = new ViolationHeaders(config.headerPrefix());
        log.info("Validate ({}) configured: {} rules, on.invalid={}", getClass().getSimpleName(), rules.size(),
            onInvalid.label());
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics);
    }

    @Override
    public R apply(R record) {
        // Only a null value makes a tombstone: a null key (on Validate$Key) is checked like any other key.
        if (record.value() == null) {
            tombstones.increment();
            return record;
        }
        Object value = operatingValue(record);
        records.increment();
        Violations found = rules.check(value);
        if (found.isEmpty()) {
            valid.increment();
            return record;
        }
        invalid.increment();
        violations.add(found.size());
        if (log.isTraceEnabled()) {
            log.trace("Record {} is invalid: {}", RecordDescription.of(record), found.describe());
        }
        switch (onInvalid) {
            case DROP -> {
                dropped.increment();
                return null;
            }
            case TAG -> {
                tagged.increment();
                return withHeaders(record, record.topic(), record.kafkaPartition(), headers.with(record, found,
                    false));
            }
            case ROUTE -> {
                quarantined.increment();
                // A source record's partition is left to the producer: the quarantine topic may have fewer.
                Integer partition = record instanceof SinkRecord ? record.kafkaPartition() : null;
                return withHeaders(record, config.quarantineTopic(record.topic()), partition,
                    headers.with(record, found, true));
            }
            default -> {
                failed.increment();
                throw new DataException("Record " + RecordDescription.of(record) + " is invalid (" + found.size()
                    + (found.size() == 1 ? " violation): " : " violations): ") + found.describe());
            }
        }
    }

    private R withHeaders(R record, String topic, Integer partition, Headers newHeaders) {
        return record.newRecord(topic, partition, record.keySchema(), record.key(), record.valueSchema(),
            record.value(), record.timestamp(), newHeaders);
    }

    /** The counts so far, for tests and tools; the same figures are published as metrics. */
    public ValidationCounts counts() {
        return new ValidationCounts(records.sum(), valid.sum(), invalid.sum(), quarantined.sum(), dropped.sum(),
            tagged.sum(), failed.sum(), violations.sum(), tombstones.sum());
    }

    @Override
    public void close() {
        // Nothing held: the worker removes the metrics with the plugin.
    }

    protected abstract Object operatingValue(R record);

    /** Validates the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends Validate<R> {
        public Key() {
        }

        Key(Time time) {
            super(time);
        }

        @Override
        protected Object operatingValue(R record) {
            return record.key();
        }
    }

    /** Validates the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends Validate<R> {
        public Value() {
        }

        Value(Time time) {
            super(time);
        }

        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }
    }
}
