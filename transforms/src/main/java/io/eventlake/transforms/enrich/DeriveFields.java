package io.eventlake.transforms.enrich;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.transforms.util.AddedFields;
import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.PluginCounters;
import io.eventlake.transforms.util.RecordDescription;
import io.eventlake.transforms.util.RecordPart;
import io.eventlake.transforms.util.TimeValues;

/**
 * Adds fields computed from the record itself: the event's local date, hour and day of week in a zone, the
 * processing time, and hashed or masked copies of sensitive fields. The output schema is derived once per input
 * schema and cached.
 */
public abstract class DeriveFields<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    private static final Logger log = LoggerFactory.getLogger(DeriveFields.class);

    public static final String OVERVIEW_DOC = "Adds fields derived from the record: the event's date (Date logical "
        + "type), hour and day of week in a configured time zone, the processing time (Timestamp logical type), and "
        + "copies of sensitive fields hashed (SHA-256 with a secret salt) or masked (all but the last N "
        + "characters). Struct and schemaless Map values; tombstones pass untouched. Use <code>"
        + Key.class.getName() + "</code> for the record key, <code>" + Value.class.getName() + "</code> for the "
        + "value.";

    public static final ConfigDef CONFIG_DEF = DeriveFieldsConfig.CONFIG_DEF;

    private static final Schema DATE = org.apache.kafka.connect.data.Date.builder().optional().build();
    private static final Schema TIMESTAMP = Timestamp.builder().build();

    private final Time time;
    private FieldPath eventTime;
    private LocalHour localHour;
    private boolean date;
    private boolean hour;
    private boolean dayOfWeek;
    private boolean processingTime;
    private PiiCopy[] copies;
    private AddedFields added;

    private final PluginCounters metrics = new PluginCounters();
    private final LongAdder records = metrics.counter("records-total", "Records given derived fields.");
    private final LongAdder missingTime = metrics.counter("missing-time-total",
        "Records without a readable event time (their date, hour and day of week are null).");

    private final RecordPart part;

    DeriveFields(RecordPart part, Time time) {
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
        DeriveFieldsConfig config = new DeriveFieldsConfig(props);
        eventTime = config.eventTimeField();
        localHour = new LocalHour(config.zone());
        Map<String, Schema> fields = new LinkedHashMap<>();
        date = add(fields, config.dateField(), DATE);
        hour = add(fields, config.hourField(), Schema.OPTIONAL_INT32_SCHEMA);
        dayOfWeek = add(fields, config.dayOfWeekField(), Schema.OPTIONAL_STRING_SCHEMA);
        processingTime = add(fields, config.processingTimeField(), TIMESTAMP);
        List<PiiCopy> pii = config.copies();
        for (PiiCopy c : pii) {
            fields.put(c.output(), Schema.OPTIONAL_STRING_SCHEMA);
        }
        copies = pii.toArray(new PiiCopy[0]);
        added = new AddedFields(fields, "DeriveFields");
        if (config.unsalted()) {
            log.warn("DeriveFields hashes {} without hash.salt: hashes of guessable values are easy to reverse",
                pii.stream().filter(c -> c instanceof PiiCopy.Hash).map(c -> c.source().path()).toList());
        }
        log.info("DeriveFields ({}) configured: adds {}", getClass().getSimpleName(), added);
    }

    private static boolean add(Map<String, Schema> fields, String name, Schema schema) {
        if (name.isEmpty()) {
            return false;
        }
        fields.put(name, schema);
        return true;
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics);
    }

    /** The counters by name, for tests; the same figures are published as metrics. */
    public long metric(String name) {
        return metrics.get(name);
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        boolean struct = value instanceof Struct;
        if (!struct && !(value instanceof Map)) {
            throw new DataException("DeriveFields needs a Struct or Map " + part + "; record "
                + RecordDescription.of(record) + " has a " + value.getClass().getSimpleName());
        }
        records.increment();
        Object[] values = new Object[added.names().size()];
        int i = 0;
        if (date || hour || dayOfWeek) {
            LocalHour local = localHourOf(value, record);
            if (date) {
                values[i++] = local == null ? null : struct ? local.date() : local.isoDate();
            }
            if (hour) {
                values[i++] = local == null ? null : local.hour();
            }
            if (dayOfWeek) {
                values[i++] = local == null ? null : local.dayOfWeek();
            }
        }
        if (processingTime) {
            long now = time.milliseconds();
            values[i++] = struct ? new Date(now) : (Object) now;
        }
        for (PiiCopy c : copies) {
            values[i++] = c.copyOf(value);
        }
        try {
            if (struct) {
                Struct s = (Struct) value;
                Schema schema = added.schemaFor(s.schema());
                return newRecord(record, schema, added.extend(s, schema, values));
            }
            return newRecord(record, null, added.extend((Map<?, ?>) value, values));
        } catch (DataException e) {
            throw new DataException("Record " + RecordDescription.of(record) + ": " + e.getMessage(), e);
        }
    }

    private LocalHour localHourOf(Object value, R record) {
        Object t = eventTime == null ? record.timestamp() : eventTime.get(value);
        if (t != null) {
            try {
                return localHour.at(TimeValues.epochMillis(t));
            } catch (IllegalArgumentException e) {
                // Counted below: an unreadable time is reported the same way as a missing one.
            }
        }
        missingTime.increment();
        return null;
    }

    @Override
    public void close() {
        // Nothing held.
    }

    private Object operatingValue(R record) {
        return part.of(record);
    }

    private R newRecord(R record, Schema schema, Object value) {
        return part.with(record, schema, value);
    }

    /** Derives fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends DeriveFields<R> {
        public Key() {
            super(RecordPart.KEY, Time.SYSTEM);
        }
    }

    /** Derives fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends DeriveFields<R> {
        public Value() {
            super(RecordPart.VALUE, Time.SYSTEM);
        }

        Value(Time time) {
            super(RecordPart.VALUE, time);
        }
    }
}
