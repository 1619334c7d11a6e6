package io.eventlake.connect.sink.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class S3ParquetSinkTaskTest {

    private static final String TOPIC = "events";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Schema SCHEMA = SchemaBuilder.struct().name("Event")
        .field("id", Schema.INT64_SCHEMA)
        .field("event_time", Timestamp.builder().optional().build())
        .build();
    // 2024-08-05T10:00:00Z; offsets >= 1000 fall in the next hour.
    private static final long T0 = 1_722_852_000_000L;

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final ManualTime time = new ManualTime();

    private S3ParquetSinkTask startTask(int flushSize, boolean withReporter, FakeSinkTaskContext[] contextOut) {
        return startTask(flushSize, withReporter, contextOut, Map.of(), List.of(TP));
    }

    private S3ParquetSinkTask startTask(int flushSize, boolean withReporter, FakeSinkTaskContext[] contextOut,
        Map<String, String> extra, List<TopicPartition> partitions) {
        S3ParquetSinkTask task = new S3ParquetSinkTask(config -> store, time);
        FakeSinkTaskContext context = new FakeSinkTaskContext(withReporter);
        task.initialize(context);
        Map<String, String> props = new HashMap<>();
        props.put(S3ParquetSinkConfig.S3_BUCKET_CONFIG, "bucket");
        props.put(S3ParquetSinkConfig.FLUSH_SIZE_CONFIG, Integer.toString(flushSize));
        props.put(S3ParquetSinkConfig.ROTATE_INTERVAL_MS_CONFIG, "60000");
        props.putAll(extra);
        task.start(props);
        task.open(partitions);
        if (contextOut != null) {
            contextOut[0] = context;
        }
        return task;
    }

    private static SinkRecord record(long offset) {
        long eventTime = T0 + (offset < 1000 ? offset : 3_600_000L + offset);
        Struct value = new Struct(SCHEMA).put("id", offset).put("event_time", new Date(eventTime));
        return new SinkRecord(TOPIC, 0, null, null, SCHEMA, value, offset, eventTime, TimestampType.CREATE_TIME);
    }

    private static List<SinkRecord> records(long from, long to) {
        return LongStream.range(from, to).mapToObj(S3ParquetSinkTaskTest::record).toList();
    }

    private List<Long> idsInLake() throws Exception {
        List<byte[]> files = store.objects.entrySet().stream().filter(e -> e.getKey().endsWith(".parquet"))
            .map(Map.Entry::getValue).toList();
        if (files.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> row : ParquetReader.rows(files, "SELECT id FROM t ORDER BY id")) {
            ids.add((Long) row.get("id"));
        }
        return ids;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void commitsEveryFlushSizeRecordsUnderDeterministicNames() throws Exception {
        S3ParquetSinkTask task = startTask(100, false, null);
        task.put(records(0, 250));

        assertEquals(List.of(
            "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000.parquet",
            "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000100.parquet"),
            store.keysEndingWith(".parquet"));
        assertEquals(range(0, 200), idsInLake());
        assertEquals(Map.of(TP, new OffsetAndMetadata(200)), task.preCommit(Map.of(TP, new OffsetAndMetadata(250))));
    }

    @Test
    void commitsBufferedRecordsOnceTheRotateIntervalHasPassed() throws Exception {
        S3ParquetSinkTask task = startTask(100, false, null);
        task.put(records(0, 30));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        time.advance(60_000);
        assertEquals(Map.of(TP, new OffsetAndMetadata(30)), task.preCommit(Map.of()));
        assertEquals(range(0, 30), idsInLake());
    }

    @Test
    void writesTheCommitIntentBeforeTheFilesAndTheOffsetAfter() {
        S3ParquetSinkTask task = startTask(10, false, null);
        task.put(records(0, 10));
        String checkpoint = "_eventlake/checkpoints/topics/events/0.json";
        assertEquals(List.of("put " + checkpoint,
            "put topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000.parquet",
            "put " + checkpoint), store.operations);
        assertEquals("{\"next\":10,\"pending\":[]}", new String(store.objects.get(checkpoint)));
    }

    @Test
    void aCrashDuringUploadIsRepairedByTheNextTaskWithoutDuplicates() throws Exception {
        S3ParquetSinkTask first = startTask(1000, false, null);
        first.put(records(0, 1000));
        // The next batch spans two hours, so two files; the second upload dies.
        store.failPuts(key -> key.contains("hour=11"));
        assertThrows(ConnectException.class, () -> first.put(mixedHours()));
        assertTrue(new String(store.objects.get("_eventlake/checkpoints/topics/events/0.json")).contains("pending"));
        long orphans = store.keysEndingWith(".parquet").stream().filter(k -> k.contains("+00000000000000001000"))
            .count();
        assertEquals(1, orphans, "the first file of the interrupted batch was written");

        store.failPuts(key -> false);
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask second = startTask(300, false, context);
        assertEquals(Map.of(TP, 1000L), context[0].rewinds);
        second.put(mixedHours());
        time.advance(60_000);
        second.preCommit(Map.of());

        assertEquals(range(0, 2000), idsInLake());
    }

    /** Offsets 1000..1999 alternating between hour 10 and hour 11 of event time. */
    private static List<SinkRecord> mixedHours() {
        List<SinkRecord> out = new ArrayList<>();
        for (long offset = 1000; offset < 2000; offset++) {
            long eventTime = offset % 2 == 0 ? T0 + offset : T0 + 3_600_000L + offset;
            Struct value = new Struct(SCHEMA).put("id", offset).put("event_time", new Date(eventTime));
            out.add(new SinkRecord(TOPIC, 0, null, null, SCHEMA, value, offset, eventTime,
                TimestampType.CREATE_TIME));
        }
        return out;
    }

    @Test
    void redeliveredRecordsAreNotWrittenTwice() throws Exception {
        S3ParquetSinkTask task = startTask(100, false, null);
        task.put(records(0, 100));
        task.put(records(50, 200));
        assertEquals(range(0, 200), idsInLake());
    }

    @Test
    void aBadRecordGoesToTheDeadLetterQueueAndItsOffsetStillCommits() throws Exception {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = startTask(3, true, context);
        SinkRecord bad = new SinkRecord(TOPIC, 0, null, null, SCHEMA, new Struct(SCHEMA).put("id", 1L), 1, null,
            TimestampType.NO_TIMESTAMP_TYPE);
        task.put(List.of(record(0), bad, record(2), record(3)));
        time.advance(60_000);
        assertEquals(Map.of(TP, new OffsetAndMetadata(4)), task.preCommit(Map.of()));
        assertEquals(List.of(bad), context[0].reported);
        assertEquals(List.of(0L, 2L, 3L), idsInLake());
    }

    @Test
    void aBadRecordWithoutDeadLetterQueueFailsNamingTheRecord() {
        S3ParquetSinkTask task = startTask(3, false, null);
        SinkRecord tombstone = new SinkRecord(TOPIC, 0, null, null, null, null, 5);
        DataException e = assertThrows(DataException.class, () -> task.put(List.of(tombstone)));
        assertTrue(e.getMessage().contains("events-0@5") && e.getMessage().contains("tombstone"), e.getMessage());
    }

    @Test
    void aNewSchemaStartsANewFileInTheSameFolder() throws Exception {
        S3ParquetSinkTask task = startTask(10, false, null);
        Schema v2 = SchemaBuilder.struct().name("Event").version(2)
            .field("id", Schema.INT64_SCHEMA)
            .field("event_time", Timestamp.builder().optional().build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
        List<SinkRecord> batch = new ArrayList<>(records(0, 5));
        for (long o = 5; o < 10; o++) {
            Struct value = new Struct(v2).put("id", o).put("event_time", new Date(T0)).put("note", "n" + o);
            batch.add(new SinkRecord(TOPIC, 0, null, null, v2, value, o, T0, TimestampType.CREATE_TIME));
        }
        task.put(batch);
        assertEquals(2, store.keysEndingWith(".parquet").size());
        assertEquals(range(0, 10), idsInLake());
    }

    private static List<SinkRecord> records(int partition, long from, long to) {
        return LongStream.range(from, to).mapToObj(o -> {
            Struct value = new Struct(SCHEMA).put("id", partition * 1_000_000L + o).put("event_time", new Date(T0));
            return new SinkRecord(TOPIC, partition, null, null, SCHEMA, value, o, T0, TimestampType.CREATE_TIME);
        }).toList();
    }

    @Test
    void aFailedCommitInPreCommitDropsBuffersSoRewoundRecordsLandOnce() throws Exception {
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        S3ParquetSinkTask task = startTask(1000, false, null, Map.of(), List.of(TP, p1));
        // Partition 1 is due for its time-based commit, partition 0 (buffered later) is not yet.
        task.put(records(1, 0, 100));
        time.advance(30_000);
        task.put(records(0, 0, 100));
        time.advance(30_000);
        store.failPuts(key -> key.contains("events+1+"));
        assertThrows(ConnectException.class, () -> task.preCommit(Map.of()));
        assertTrue(store.keysEndingWith(".parquet").isEmpty());
        assertEquals(0, task.bufferedBytes(), "buffers are dropped when a commit fails");

        // Connect rewinds both partitions to their last committed Kafka offsets (none) and delivers again.
        store.failPuts(key -> false);
        task.put(records(0, 0, 150));
        task.put(records(1, 0, 150));
        time.advance(60_000);
        assertEquals(Map.of(TP, new OffsetAndMetadata(150), p1, new OffsetAndMetadata(150)), task.preCommit(Map.of()));

        List<Long> expected = new ArrayList<>(range(0, 150));
        LongStream.range(0, 150).forEach(o -> expected.add(1_000_000L + o));
        assertEquals(expected, idsInLake());
        assertTrue(store.objects.entrySet().stream().filter(e -> e.getKey().endsWith(".json"))
            .allMatch(e -> new String(e.getValue()).contains("\"pending\":[]")), "no pending files left");
    }

    @Test
    void toleranceAllWithoutDeadLetterQueueSkipsBadRecords() throws Exception {
        S3ParquetSinkTask task = startTask(3, false, null, Map.of("errors.tolerance", "all"), List.of(TP));
        SinkRecord tombstone = new SinkRecord(TOPIC, 0, null, null, null, null, 1);
        task.put(List.of(record(0), tombstone, record(2)));
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(List.of(0L, 2L), idsInLake());
    }

    @Test
    void badRecordsCountTowardsFlushSizeSoOffsetsKeepMoving() {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = startTask(3, true, context);
        task.put(LongStream.range(0, 3).mapToObj(o -> new SinkRecord(TOPIC, 0, null, null, null, null, o)).toList());
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(3, context[0].reported.size());
        assertTrue(store.keysEndingWith(".parquet").isEmpty());
    }

    @Test
    void aRecordThatCannotBeEncodedLeavesTheOpenFileAlone() throws Exception {
        S3ParquetSinkTask task = startTask(5, true, null);
        Schema priced = SchemaBuilder.struct().name("Event").version(2)
            .field("id", Schema.INT64_SCHEMA)
            .field("event_time", Timestamp.builder().optional().build())
            .field("price", org.apache.kafka.connect.data.Decimal.schema(2))
            .build();
        Struct badScale = new Struct(priced).put("id", 2L).put("event_time", new Date(T0))
            .put("price", new java.math.BigDecimal("1.5"));
        List<SinkRecord> batch = new ArrayList<>(records(0, 2));
        batch.add(new SinkRecord(TOPIC, 0, null, null, priced, badScale, 2, T0, TimestampType.CREATE_TIME));
        batch.addAll(records(3, 5));
        task.put(batch);
        assertEquals(1, store.keysEndingWith(".parquet").size(), store.objects.keySet().toString());
        assertEquals(List.of(0L, 1L, 3L, 4L), idsInLake());
    }

    @Test
    void revokedPartitionsDropTheirBufferAndCommitNothing() {
        S3ParquetSinkTask task = startTask(100, false, null);
        task.put(records(0, 50));
        assertTrue(task.bufferedBytes() > 0);
        Collection<TopicPartition> revoked = List.of(TP);
        task.close(revoked);
        assertEquals(0, task.bufferedBytes());
        assertEquals(Map.of(), task.preCommit(Map.of()));
        assertTrue(store.keysEndingWith(".parquet").isEmpty());
        task.stop();
    }
}
