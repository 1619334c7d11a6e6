package io.eventlake.connect.sink.s3.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static final Schema DEVICE = SchemaBuilder.struct().optional().field("type", Schema.STRING_SCHEMA).build();
    private static final Schema SCHEMA = SchemaBuilder.struct()
        .field("event_type", Schema.OPTIONAL_STRING_SCHEMA)
        .field("device", DEVICE)
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
        .field("event_time", Timestamp.builder().optional().build())
        .field("epoch", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
    /** 2026-11-25T13:45:00Z */
    private static final long T = 1_795_614_300_000L;

    private static SinkRecord record(String type, long time) {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("region", "eu/west");
        Struct v = new Struct(SCHEMA).put("event_type", type).put("device", new Struct(DEVICE).put("type", "ios"))
            .put("attrs", attrs).put("event_time", new Date(time)).put("epoch", time);
        return new SinkRecord("events", 0, null, null, SCHEMA, v, 7, time - 60_000, TimestampType.CREATE_TIME);
    }

    private static Partitioner partitioner(List<Partitioner.FieldPartition> fields, Partitioner.TimeSource source,
                                           Partitioner.Granularity g, String format, String zone) {
        return new Partitioner("topics", fields, source, "event_time", g, format, ZoneId.of(zone), () -> T + 7_200_000);
    }

    @Test
    void hourlyFoldersByEventTimeInUtcByDefault() {
        Partitioner p = partitioner(List.of(), Partitioner.TimeSource.FIELD, Partitioner.Granularity.HOUR, "", "UTC");
        SinkRecord r = record("purchase", T);
        assertEquals("topics/events/year=2026/month=11/day=25/hour=13", p.folder(r, p.timeOf(r)));
    }

    @Test
    void fieldPartitionsComeBeforeTimeAndReachIntoStructsAndMaps() {
        Partitioner p = partitioner(List.of(new Partitioner.FieldPartition("event_type", "event_type"),
            new Partitioner.FieldPartition("device.type", "device_type"),
            new Partitioner.FieldPartition("attrs.region", "region")), Partitioner.TimeSource.FIELD,
            Partitioner.Granularity.DAY, "", "UTC");
        SinkRecord r = record("purchase", T);
        assertEquals("topics/events/event_type=purchase/device_type=ios/region=eu%2Fwest/year=2026/month=11/day=25",
            p.folder(r, p.timeOf(r)));
    }

    @Test
    void unsafeCharactersAreHiveEscapedAndNullIsTheDefaultPartition() {
        Partitioner p = partitioner(List.of(new Partitioner.FieldPartition("event_type", "event_type")),
            Partitioner.TimeSource.FIELD, Partitioner.Granularity.NONE, "", "UTC");
        SinkRecord odd = record("a=b c#d", T);
        assertEquals("topics/events/event_type=a%3Db%20c%23d", p.folder(odd, p.timeOf(odd)));
        SinkRecord none = record(null, T);
        assertEquals("topics/events/event_type=__HIVE_DEFAULT_PARTITION__", p.folder(none, p.timeOf(none)));
    }

    @Test
    void aPathFormatAndAZoneShapeTheTimeFolders() {
        Partitioner p = partitioner(List.of(), Partitioner.TimeSource.FIELD, Partitioner.Granularity.HOUR,
            "'dt='yyyy-MM-dd/'hr='HH", "Asia/Tokyo");
        SinkRecord r = record("x", T);
        assertEquals("topics/events/dt=2026-11-25/hr=22", p.folder(r, p.timeOf(r)));
    }

    @Test
    void theTimeCanComeFromTheRecordTimestampOrTheWallClock() {
        SinkRecord r = record("x", T);
        Partitioner byRecord = partitioner(List.of(), Partitioner.TimeSource.RECORD, Partitioner.Granularity.HOUR,
            "", "UTC");
        assertEquals(T - 60_000, byRecord.timeOf(r));
        Partitioner byClock = partitioner(List.of(), Partitioner.TimeSource.WALLCLOCK, Partitioner.Granularity.HOUR,
            "", "UTC");
        assertEquals("topics/events/year=2026/month=11/day=25/hour=15", byClock.folder(r, byClock.timeOf(r)));
    }

    @Test
    void epochMillisAndIsoStringsAreEventTimesToo() {
        Partitioner p = new Partitioner("topics", List.of(), Partitioner.TimeSource.FIELD, "epoch",
            Partitioner.Granularity.HOUR, "", ZoneId.of("UTC"), () -> 0);
        assertEquals(T, p.timeOf(record("x", T)));
        Map<String, Object> map = Map.of("epoch", "2026-11-25T13:45:00Z");
        SinkRecord r = new SinkRecord("events", 0, null, null, null, map, 1);
        assertEquals(T, p.timeOf(r));
    }

    @Test
    void consecutiveRecordsOfTheSameHourReuseTheFolderAndANewHourGetsItsOwn() {
        Partitioner p = partitioner(List.of(), Partitioner.TimeSource.FIELD, Partitioner.Granularity.HOUR, "", "UTC");
        SinkRecord a = record("x", T);
        SinkRecord b = record("x", T + 60_000);
        SinkRecord c = record("x", T + 3_600_000);
        assertEquals(p.folder(a, p.timeOf(a)), p.folder(b, p.timeOf(b)));
        assertEquals("topics/events/year=2026/month=11/day=25/hour=14", p.folder(c, p.timeOf(c)));
        assertEquals("topics/events/year=2026/month=11/day=25/hour=13", p.folder(a, p.timeOf(a)));
    }

    @Test
    void aMissingOrBadEventTimeNamesTheRecordAndTheField() {
        Partitioner p = partitioner(List.of(), Partitioner.TimeSource.FIELD, Partitioner.Granularity.HOUR, "", "UTC");
        Struct v = new Struct(SCHEMA);
        SinkRecord r = new SinkRecord("events", 2, null, null, SCHEMA, v, 9);
        DataException e = assertThrows(DataException.class, () -> p.timeOf(r));
        assertTrue(e.getMessage().contains("events-2@9") && e.getMessage().contains("'event_time'"), e.getMessage());
    }

    @Test
    void aCompositeValueCannotNameAFolder() {
        Partitioner p = partitioner(List.of(new Partitioner.FieldPartition("device", "device")),
            Partitioner.TimeSource.FIELD, Partitioner.Granularity.HOUR, "", "UTC");
        SinkRecord r = record("x", T);
        DataException e = assertThrows(DataException.class, () -> p.folder(r, T));
        assertTrue(e.getMessage().contains("'device'"), e.getMessage());
    }
}
