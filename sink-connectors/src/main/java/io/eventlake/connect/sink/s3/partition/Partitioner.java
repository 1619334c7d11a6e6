package io.eventlake.connect.sink.s3.partition;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Chooses a record's lake folder: {@code <topics dir>/<topic>/<field partitions>/<time partition>}, e.g.
 * {@code topics/events/event_type=purchase/year=2026/month=11/day=25/hour=13}. Field partitions are Hive-style
 * {@code name=value} folders of value fields (dotted paths into Structs and Maps). The time partition formats the
 * record's time (a value field, the Kafka timestamp, or the wall clock) in a zone, at a granularity. The last time
 * bucket is remembered, so records of the same hour cost a range check and no formatting.
 */
public final class Partitioner {

    /** Where a record's time comes from. */
    public enum TimeSource { FIELD, RECORD, WALLCLOCK }

    /** The unit of the time partition. */
    public enum Granularity {
        NONE(null, ""), YEAR(ChronoUnit.YEARS, "'year='yyyy"), MONTH(ChronoUnit.MONTHS, "'year='yyyy/'month='MM"),
        DAY(ChronoUnit.DAYS, "'year='yyyy/'month='MM/'day='dd"),
        HOUR(ChronoUnit.HOURS, "'year='yyyy/'month='MM/'day='dd/'hour='HH");

        final ChronoUnit unit;
        public final String defaultFormat;

        Granularity(ChronoUnit unit, String defaultFormat) {
            this.unit = unit;
            this.defaultFormat = defaultFormat;
        }
    }

    private final String topicsDir;
    private final List<FieldPartition> fields;
    private final TimeSource timeSource;
    private final String timestampField;
    private final Granularity granularity;
    private final DateTimeFormatter format;
    private final ZoneId zone;
    private final java.util.function.LongSupplier clock;

    private long bucketStart = Long.MAX_VALUE;
    private long bucketEnd = Long.MIN_VALUE;
    private String bucketPath;
    private String lastTopic;
    private String lastFieldPath;
    private String lastTimePath;
    private String lastFolder;

    /**
     * @param fields         field partitions: a dotted path into the value and the Hive name of its folder
     * @param timestampField value field of the event time, for {@link TimeSource#FIELD}
     * @param format         a {@link DateTimeFormatter} pattern for the time folders; empty for the granularity's
     */
    public Partitioner(String topicsDir, List<FieldPartition> fields, TimeSource timeSource, String timestampField,
                       Granularity granularity, String format, ZoneId zone, java.util.function.LongSupplier clock) {
        this.topicsDir = topicsDir;
        this.fields = List.copyOf(fields);
        this.timeSource = timeSource;
        this.timestampField = timestampField;
        this.granularity = granularity;
        String pattern = format == null || format.isBlank() ? granularity.defaultFormat : format;
        this.format = pattern.isEmpty() ? null : DateTimeFormatter.ofPattern(pattern).withZone(zone);
        this.zone = zone;
        this.clock = clock;
    }

    /** A field partition: {@code path} read from the value, written as {@code name=value}. */
    public record FieldPartition(String path, String name) {
        Object read(Object value) {
            Object current = value;
            for (String segment : path.split("\\.")) {
                if (current instanceof Struct s) {
                    Field f = s.schema().field(segment);
                    current = f == null ? null : s.getWithoutDefault(segment);
                } else if (current instanceof Map<?, ?> m) {
                    current = m.get(segment);
                } else {
                    return null;
                }
            }
            return current;
        }
    }

    /** The folder (no trailing slash) for a record whose time is {@code timeMs} (see {@link #timeOf}). */
    public String folder(SinkRecord record, long timeMs) {
        String fieldPath = fieldPath(record);
        String timePath = timePath(timeMs);
        String topic = record.topic();
        if (timePath == lastTimePath && topic.equals(lastTopic) && fieldPath.equals(lastFieldPath)) {
            return lastFolder;
        }
        StringBuilder b = new StringBuilder(96).append(topicsDir).append('/').append(topic);
        if (!fieldPath.isEmpty()) {
            b.append('/').append(fieldPath);
        }
        if (!timePath.isEmpty()) {
            b.append('/').append(timePath);
        }
        lastTopic = topic;
        lastFieldPath = fieldPath;
        lastTimePath = timePath;
        lastFolder = b.toString();
        return lastFolder;
    }

    private String fieldPath(SinkRecord record) {
        if (fields.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(32);
        for (FieldPartition f : fields) {
            Object v = f.read(record.value());
            if (v instanceof Struct || v instanceof Map || v instanceof List) {
                throw new DataException(where(record) + ": partition field '" + f.path() + "' is a "
                    + v.getClass().getSimpleName() + "; only single values can name a folder");
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(HivePaths.escape(f.name())).append('=').append(HivePaths.escape(text(v)));
        }
        return b.toString();
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof java.util.Date d) {
            return Instant.ofEpochMilli(d.getTime()).toString();
        }
        return v.toString();
    }

    private String timePath(long timeMs) {
        if (format == null) {
            return "";
        }
        if (timeMs >= bucketStart && timeMs < bucketEnd) {
            return bucketPath;
        }
        ZonedDateTime t = Instant.ofEpochMilli(timeMs).atZone(zone);
        ZonedDateTime start = switch (granularity) {
            case YEAR -> t.withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
            case MONTH -> t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            default -> t.truncatedTo(ChronoUnit.HOURS);
        };
        ChronoUnit unit = granularity.unit == null ? ChronoUnit.HOURS : granularity.unit;
        bucketStart = start.toInstant().toEpochMilli();
        bucketEnd = start.plus(1, unit).toInstant().toEpochMilli();
        bucketPath = format.format(t);
        return bucketPath;
    }

    /** The record's time as the time partition sees it: its event-time field, its Kafka timestamp or now. */
    public long timeOf(SinkRecord record) {
        switch (timeSource) {
            case WALLCLOCK:
                return clock.getAsLong();
            case RECORD:
                if (record.timestamp() == null) {
                    throw new DataException(where(record) + " has no Kafka timestamp (partition.time.source=record)");
                }
                return record.timestamp();
            default:
                break;
        }
        Object raw;
        if (record.value() instanceof Struct struct) {
            Field field = struct.schema().field(timestampField);
            if (field == null) {
                throw new DataException(where(record) + " has no field '" + timestampField + "' (timestamp.field)");
            }
            raw = struct.getWithoutDefault(timestampField);
        } else if (record.value() instanceof Map<?, ?> map) {
            raw = map.get(timestampField);
        } else {
            throw new DataException(where(record) + " has no Struct value to read '" + timestampField + "' from");
        }
        if (raw instanceof java.util.Date date) {
            return date.getTime();
        }
        if (raw instanceof Long l) {
            return l;
        }
        if (raw instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                // Reported below with the other bad types.
            }
        }
        throw new DataException(where(record) + ": field '" + timestampField + "' is "
            + (raw == null ? "null" : "a " + raw.getClass().getSimpleName() + " (" + raw + ")")
            + "; it must be a Timestamp, epoch milliseconds or an ISO-8601 instant");
    }

    static String where(SinkRecord record) {
        return "record " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
            + record.originalKafkaOffset();
    }
}
