package io.eventlake.connect.sink.s3.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class TimePartitionerTest {

    private static final Schema SCHEMA = SchemaBuilder.struct()
        .field("event_time", Timestamp.builder().optional().build())
        .field("ms", Schema.OPTIONAL_INT64_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .build();
    // 2024-08-05T23:30:00Z
    private static final long T = 1_722_900_600_000L;

    private static SinkRecord record(Object value, Long kafkaTimestamp) {
        Schema schema = value instanceof Struct s ? s.schema() : null;
        return new SinkRecord("purchases", 2, null, null, schema, value, 17, kafkaTimestamp,
            TimestampType.CREATE_TIME);
    }

    @Test
    void foldersByEventTimeFieldInUtc() {
        TimePartitioner p = new TimePartitioner("topics", "event_time", ZoneOffset.UTC);
        Struct v = new Struct(SCHEMA).put("event_time", new Date(T));
        assertEquals("topics/purchases/year=2024/month=08/day=05/hour=23", p.folder(record(v, 0L)));
    }

    @Test
    void usesTheConfiguredTimeZone() {
        TimePartitioner p = new TimePartitioner("lake", "event_time", ZoneId.of("Europe/Paris"));
        Struct v = new Struct(SCHEMA).put("event_time", new Date(T));
        assertEquals("lake/purchases/year=2024/month=08/day=06/hour=01", p.folder(record(v, 0L)));
    }

    @Test
    void acceptsEpochMillisAndSchemalessMaps() {
        TimePartitioner p = new TimePartitioner("topics", "ms", ZoneOffset.UTC);
        assertEquals("topics/purchases/year=2024/month=08/day=05/hour=23",
            p.folder(record(new Struct(SCHEMA).put("ms", T), 0L)));
        assertEquals("topics/purchases/year=2024/month=08/day=05/hour=23", p.folder(record(Map.of("ms", T), 0L)));
    }

    @Test
    void emptyFieldMeansTheKafkaTimestamp() {
        TimePartitioner p = new TimePartitioner("topics", "", ZoneOffset.UTC);
        assertEquals("topics/purchases/year=2024/month=08/day=05/hour=23", p.folder(record(null, T)));
    }

    @Test
    void sameHourReusesTheFolderString() {
        TimePartitioner p = new TimePartitioner("topics", "event_time", ZoneOffset.UTC);
        String first = p.folder(record(new Struct(SCHEMA).put("event_time", new Date(T)), 0L));
        String second = p.folder(record(new Struct(SCHEMA).put("event_time", new Date(T + 60_000)), 0L));
        assertSame(first, second);
        String nextHour = p.folder(record(new Struct(SCHEMA).put("event_time", new Date(T + 1_800_000)), 0L));
        assertEquals("topics/purchases/year=2024/month=08/day=06/hour=00", nextHour);
    }

    @Test
    void nullEventTimeNamesFieldAndRecord() {
        TimePartitioner p = new TimePartitioner("topics", "event_time", ZoneOffset.UTC);
        DataException e = assertThrows(DataException.class, () -> p.folder(record(new Struct(SCHEMA), 0L)));
        assertTrue(e.getMessage().contains("'event_time'") && e.getMessage().contains("purchases-2@17"),
            e.getMessage());
    }

    @Test
    void missingFieldNamesTheConfigKey() {
        TimePartitioner p = new TimePartitioner("topics", "when", ZoneOffset.UTC);
        DataException e = assertThrows(DataException.class,
            () -> p.folder(record(new Struct(SCHEMA).put("name", "x"), 0L)));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("timestamp.field"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheType() {
        TimePartitioner p = new TimePartitioner("topics", "name", ZoneOffset.UTC);
        DataException e = assertThrows(DataException.class,
            () -> p.folder(record(new Struct(SCHEMA).put("name", "yesterday"), 0L)));
        assertTrue(e.getMessage().contains("String"), e.getMessage());
    }
}
