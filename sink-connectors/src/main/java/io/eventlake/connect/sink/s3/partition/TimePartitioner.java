package io.eventlake.connect.sink.s3.partition;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Chooses a record's lake folder, {@code <topicsDir>/<topic>/year=YYYY/month=MM/day=dd/hour=HH}, from its event
 * time (a value field, or the Kafka record timestamp). The folder of the current hour is remembered, so records
 * of the same hour cost one range check and no formatting.
 */
public final class TimePartitioner {

    private final String topicsDir;
    private final String timestampField;
    private final ZoneId zone;

    private String cachedTopic;
    private long cachedHourStart = Long.MAX_VALUE;
    private long cachedHourEnd = Long.MIN_VALUE;
    private String cachedFolder;

    public TimePartitioner(String topicsDir, String timestampField, ZoneId zone) {
        this.topicsDir = topicsDir;
        this.timestampField = timestampField;
        this.zone = zone;
    }

    public String folder(SinkRecord record) {
        long millis = eventTimeMillis(record);
        if (record.topic().equals(cachedTopic) && millis >= cachedHourStart && millis < cachedHourEnd) {
            return cachedFolder;
        }
        ZonedDateTime hour = Instant.ofEpochMilli(millis).atZone(zone).withMinute(0).withSecond(0).withNano(0);
        cachedTopic = record.topic();
        cachedHourStart = hour.toInstant().toEpochMilli();
        cachedHourEnd = hour.plusHours(1).toInstant().toEpochMilli();
        cachedFolder = String.format("%s/%s/year=%04d/month=%02d/day=%02d/hour=%02d", topicsDir, record.topic(),
            hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour());
        return cachedFolder;
    }

    long eventTimeMillis(SinkRecord record) {
        if (timestampField.isEmpty()) {
            if (record.timestamp() == null) {
                throw new DataException(where(record) + " has no Kafka timestamp and timestamp.field is empty");
            }
            return record.timestamp();
        }
        Object raw;
        if (record.value() instanceof Struct struct) {
            Field field = struct.schema().field(timestampField);
            if (field == null) {
                throw new DataException(where(record) + " has no field '" + timestampField + "' (timestamp.field)");
            }
            raw = struct.get(field);
        } else if (record.value() instanceof Map<?, ?> map) {
            raw = map.get(timestampField);
        } else {
            throw new DataException(where(record) + " has a value of type "
                + (record.value() == null ? "null" : record.value().getClass().getSimpleName())
                + "; a Struct or Map with field '" + timestampField + "' is needed");
        }
        if (raw instanceof java.util.Date date) {
            return date.getTime();
        }
        if (raw instanceof Long l) {
            return l;
        }
        throw new DataException(where(record) + ": field '" + timestampField + "' is "
            + (raw == null ? "null" : "a " + raw.getClass().getSimpleName())
            + "; it must be a Timestamp or epoch milliseconds");
    }

    private static String where(SinkRecord record) {
        return "record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
