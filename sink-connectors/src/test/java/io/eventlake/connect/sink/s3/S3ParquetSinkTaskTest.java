package io.eventlake.connect.sink.s3;

import static io.eventlake.connect.sink.s3.SinkFixture.CHECKPOINT;
import static io.eventlake.connect.sink.s3.SinkFixture.SCHEMA;
import static io.eventlake.connect.sink.s3.SinkFixture.T0;
import static io.eventlake.connect.sink.s3.SinkFixture.TOPIC;
import static io.eventlake.connect.sink.s3.SinkFixture.TP;
import static io.eventlake.connect.sink.s3.SinkFixture.range;
import static io.eventlake.connect.sink.s3.SinkFixture.record;
import static io.eventlake.connect.sink.s3.SinkFixture.records;
import static io.eventlake.connect.sink.s3.SinkFixture.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The task's everyday behaviour: batches, names, the commit protocol, bad records, rotation. */
class S3ParquetSinkTaskTest {

    private final SinkFixture f = new SinkFixture();

    /**
     * A rebalance that assigns many partitions opens them at once, not one S3 round trip after another. Sequence:
     * the store holds the checkpoint read of partition 0 and of partition 1; the task opens both. Both reads are
     * reached while neither is released (one after the other, the second would never start), then both are released
     * and the task resumes each.
     */
    @Test
    void partitionsAreOpenedConcurrently() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        java.util.concurrent.CountDownLatch[] p0 = store.hold(op -> op.equals("get " + CHECKPOINT));
        java.util.concurrent.CountDownLatch[] p1 = store.hold(op -> op.equals("get "
            + CHECKPOINT.replace("/0.json", "/1.json")));
        S3ParquetSinkTask task = new S3ParquetSinkTask(settings -> store, new ManualTime());
        task.initialize(new FakeSinkTaskContext(false));
        task.start(SinkFixture.props(10, Map.of()));
        org.apache.kafka.common.TopicPartition tp1 = new org.apache.kafka.common.TopicPartition(TOPIC, 1);
        Thread open = new Thread(() -> task.open(List.of(TP, tp1)), "open");
        open.start();
        try {
            assertTrue(p0[0].await(20, java.util.concurrent.TimeUnit.SECONDS), "partition 0's checkpoint read");
            assertTrue(p1[0].await(20, java.util.concurrent.TimeUnit.SECONDS),
                "partition 1's checkpoint read started while partition 0's was held");
        } finally {
            p0[1].countDown();
            p1[1].countDown();
        }
        open.join(20_000);
        assertFalse(open.isAlive());
        task.put(records(0, 10));
        settle(task);
        assertTrue(store.objects.containsKey(CHECKPOINT.replace("/0.json", "/1.json")), "partition 1 was opened");
        task.stop();
    }

    /** A store that accepts every put: it ignores If-None-Match and If-Match, as some S3-compatible servers do. */
    private static final class UnconditionalStore extends InMemoryObjectStore {
        @Override
        public String putIfAbsent(String key, java.util.function.Supplier<java.io.InputStream> content, long length) {
            objects.remove(key);
            return super.putIfAbsent(key, content, length);
        }

        @Override
        public String putIfMatch(String key, java.util.function.Supplier<java.io.InputStream> content, long length,
                                 String etag) {
            objects.remove(key);
            return super.putIfAbsent(key, content, length);
        }
    }

    private static S3ParquetSinkTask startOn(InMemoryObjectStore store, Map<String, String> extra) {
        S3ParquetSinkTask task = new S3ParquetSinkTask(settings -> store, new ManualTime());
        task.initialize(new FakeSinkTaskContext(false));
        task.start(SinkFixture.props(10, extra));
        return task;
    }

    /**
     * A server that ignores conditional writes cannot fence a zombie: a task refuses to start on one, naming the
     * setting, unless the endpoint is local (a test server) or the user opted out.
     */
    @Test
    void aServerThatIgnoresConditionalWritesIsRefusedUnlessLocalOrOptedOut() {
        ConnectException e = assertThrows(ConnectException.class,
            () -> startOn(new UnconditionalStore(), Map.of()));
        assertTrue(e.getMessage().contains("s3.conditional.writes.required=false"), e.getMessage());
        assertThrows(ConnectException.class, () -> startOn(new UnconditionalStore(),
            Map.of("s3.endpoint.url", "https://objects.example.com")));
        startOn(new UnconditionalStore(), Map.of("s3.endpoint.url", "http://127.0.0.1:9000")).stop();
        startOn(new UnconditionalStore(), Map.of("s3.conditional.writes.required", "false")).stop();
        assertThrows(ConnectException.class, () -> startOn(new UnconditionalStore(),
            Map.of("s3.endpoint.url", "http://127.0.0.1:9000", "s3.conditional.writes.required", "true")));
        startOn(new InMemoryObjectStore(), Map.of()).stop();
    }

    @Test
    void commitsEveryFlushSizeRecordsUnderNamesThatCarryTheOwnerEpoch() throws Exception {
        S3ParquetSinkTask task = f.start(100);
        task.put(records(0, 250));
        settle(task);

        assertEquals(List.of(
            "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000+1.parquet",
            "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000100+1.parquet"),
            f.store.keysEndingWith(".parquet"));
        assertEquals(range(0, 200), f.idsInLake());
        assertEquals(Map.of(TP, new OffsetAndMetadata(200)), task.preCommit(Map.of(TP, new OffsetAndMetadata(250))));
    }

    @Test
    void writesTheIntentBeforeTheFilesAndTheOffsetAfter() {
        S3ParquetSinkTask task = f.start(10);
        task.put(records(0, 10));
        settle(task);
        String file = "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000+1.parquet";
        List<String> writes = f.store.operations().stream().filter(op -> op.startsWith("put ")
            && !op.contains("/schemas/") && !op.contains("/probes/")).toList();
        assertEquals(List.of("put " + CHECKPOINT, "put " + CHECKPOINT, "put " + file, "put " + CHECKPOINT), writes,
            "open takes the checkpoint (epoch 1), then intent, file, committed offset");
        assertEquals("{\"epoch\":1,\"next\":10,\"pending\":[]}", f.checkpoint());
    }

    @Test
    void aWallClockIntervalCommitsAQuietPartitionWithoutAnotherRecord() throws Exception {
        S3ParquetSinkTask task = f.start(1000);
        task.put(records(0, 30));
        settle(task);
        assertEquals(List.of(), f.idsInLake());
        f.time.advance(60_000);
        // No put, no preCommit: the rotation timer alone must commit the batch.
        long deadline = System.currentTimeMillis() + 10_000;
        while (f.idsInLake().size() < 30 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        settle(task);
        assertEquals(range(0, 30), f.idsInLake());
        assertEquals(Map.of(TP, new OffsetAndMetadata(30)), task.preCommit(Map.of()));
    }

    @Test
    void redeliveredRecordsAreNotWrittenTwice() throws Exception {
        S3ParquetSinkTask task = f.start(100);
        task.put(records(0, 100));
        task.put(records(50, 200));
        settle(task);
        assertEquals(range(0, 200), f.idsInLake());
    }

    @Test
    void aBadRecordGoesToTheDeadLetterQueueAndItsOffsetStillCommits() throws Exception {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(4, true, context, Map.of(), List.of(TP));
        SinkRecord bad = new SinkRecord(TOPIC, 0, null, null, SCHEMA, new Struct(SCHEMA).put("id", 1L), 1, null,
            TimestampType.NO_TIMESTAMP_TYPE);
        task.put(List.of(record(0), bad, record(2), record(3)));
        settle(task);
        assertEquals(Map.of(TP, new OffsetAndMetadata(4)), task.preCommit(Map.of()));
        assertEquals(List.of(bad), context[0].reported);
        assertEquals(List.of(0L, 2L, 3L), f.idsInLake());
    }

    /**
     * value.format=json: the values arrive as JsonConverter's bytes (the connector's converter is
     * ByteArrayConverter) and land as if Connect had decoded them; one value that is not JSON goes to the dead
     * letter queue as the original record, and its offset still commits. 600 records: decoded in chunks on the
     * decode threads, in order.
     */
    @Test
    void jsonBytesAreDecodedByTheSinkAndABadOneGoesToTheDeadLetterQueue() throws Exception {
        org.apache.kafka.connect.json.JsonConverter json = new org.apache.kafka.connect.json.JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        List<SinkRecord> raw = new java.util.ArrayList<>();
        SinkRecord bad = null;
        for (SinkRecord r : records(0, 600)) {
            byte[] bytes = r.kafkaOffset() == 7 ? "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : json.fromConnectData(TOPIC, r.valueSchema(), r.value());
            SinkRecord b = new SinkRecord(TOPIC, 0, null, null, null, bytes, r.kafkaOffset(), r.timestamp(),
                TimestampType.CREATE_TIME);
            raw.add(b);
            if (r.kafkaOffset() == 7) {
                bad = b;
            }
        }
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(600, true, context, Map.of("value.format", "json",
            "value.decode.threads", "3"), List.of(TP));
        task.put(raw);
        settle(task);
        assertEquals(Map.of(TP, new OffsetAndMetadata(600)), task.preCommit(Map.of()));
        assertEquals(1, context[0].reported.size());
        assertEquals(7L, context[0].reported.get(0).kafkaOffset());
        assertTrue(java.util.Arrays.equals((byte[]) bad.value(), (byte[]) context[0].reported.get(0).value()));
        List<Long> expected = new java.util.ArrayList<>(range(0, 600));
        expected.remove(7L);
        assertEquals(expected, f.idsInLake());
    }

    @Test
    void aBadRecordWithoutDeadLetterQueueFailsNamingTheRecord() {
        S3ParquetSinkTask task = f.start(3);
        SinkRecord tombstone = new SinkRecord(TOPIC, 0, null, null, null, null, 5);
        DataException e = assertThrows(DataException.class, () -> SinkFixture.putAndSettle(task, List.of(tombstone)));
        assertTrue(e.getMessage().contains("events-0@5") && e.getMessage().contains("tombstone"), e.getMessage());
    }

    @Test
    void tombstonesAreSkippedWhenToldToIgnoreThem() throws Exception {
        S3ParquetSinkTask task = f.start(3, false, null, Map.of("behavior.on.null.values", "ignore"), List.of(TP));
        task.put(List.of(record(0), new SinkRecord(TOPIC, 0, null, null, null, null, 1), record(2)));
        settle(task);
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(List.of(0L, 2L), f.idsInLake());
    }

    @Test
    void tombstonesFailTheTaskWhenToldToEvenWithADeadLetterQueue() {
        S3ParquetSinkTask task = f.start(3, true, null, Map.of("behavior.on.null.values", "fail"), List.of(TP));
        ConnectException e = assertThrows(ConnectException.class,
            () -> SinkFixture.putAndSettle(task, List.of(new SinkRecord(TOPIC, 0, null, null, null, null, 7))));
        assertTrue(e.getMessage().contains("events-0@7"), e.getMessage());
    }

    @Test
    void toleranceAllWithoutDeadLetterQueueSkipsBadRecords() throws Exception {
        S3ParquetSinkTask task = f.start(3, false, null, Map.of("errors.tolerance", "all"), List.of(TP));
        task.put(List.of(record(0), new SinkRecord(TOPIC, 0, null, null, null, null, 1), record(2)));
        settle(task);
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(List.of(0L, 2L), f.idsInLake());
    }

    @Test
    void badRecordsCountTowardsFlushSizeSoOffsetsKeepMoving() {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(3, true, context, Map.of(), List.of(TP));
        task.put(LongStream.range(0, 3).mapToObj(o -> new SinkRecord(TOPIC, 0, null, null, null, null, o)).toList());
        settle(task);
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(3, context[0].reported.size());
        assertTrue(f.store.keysEndingWith(".parquet").isEmpty());
    }

    @Test
    void aRecordThatCannotBeWrittenLeavesTheOpenFileAlone() throws Exception {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(5, true, context, Map.of(), List.of(TP));
        Schema priced = SchemaBuilder.struct().name("Event")
            .field("id", Schema.INT64_SCHEMA)
            .field("event_time", Timestamp.builder().optional().build())
            .field("price", SchemaBuilder.struct().optional().field("amount",
                org.apache.kafka.connect.data.Decimal.builder(2).parameter("connect.decimal.precision", "3").build())
                .build())
            .build();
        Schema amount = priced.field("price").schema();
        Struct tooLong = new Struct(priced).put("id", 2L).put("event_time", new Date(T0))
            .put("price", new Struct(amount).put("amount", new java.math.BigDecimal("12.50")));
        List<SinkRecord> batch = new ArrayList<>(records(0, 2));
        batch.add(new SinkRecord(TOPIC, 0, null, null, priced, tooLong, 2, T0, TimestampType.CREATE_TIME));
        batch.addAll(records(3, 5));
        task.put(batch);
        settle(task);
        assertEquals(1, context[0].reported.size());
        assertEquals(List.of(0L, 1L, 3L, 4L), f.idsInLake());
    }

    @Test
    void revokedPartitionsDropTheirBufferAndCommitNothing() {
        S3ParquetSinkTask task = f.start(100);
        task.put(records(0, 50));
        settle(task);
        assertTrue(task.writer().bufferedBytes() > 0);
        task.close(List.of(TP));
        assertEquals(0, task.writer().bufferedBytes());
        assertEquals(Map.of(), task.preCommit(Map.of()));
        assertTrue(f.store.keysEndingWith(".parquet").isEmpty());
        task.stop();
    }

    @Test
    void aRecordOfAnUnassignedPartitionFailsTheTask() {
        S3ParquetSinkTask task = f.start(10);
        ConnectException e = assertThrows(ConnectException.class, () -> SinkFixture.putAndSettle(task, List.of(record(3, 0))));
        assertTrue(e.getMessage().contains("events-3"), e.getMessage());
    }

    @Test
    void aRecordWhoseTopicATransformRenamedLandsInThatTopicsFolderUnderItsOriginalOffset() throws Exception {
        S3ParquetSinkTask task = f.start(3);
        List<SinkRecord> batch = new ArrayList<>();
        for (SinkRecord r : records(0, 3)) {
            batch.add(r.kafkaOffset() == 1 ? r.newRecord("events-quarantine", r.kafkaPartition(), r.keySchema(),
                r.key(), r.valueSchema(), r.value(), r.timestamp()) : r);
        }
        task.put(batch);
        settle(task);
        assertEquals(List.of(
            "topics/events-quarantine/year=2024/month=08/day=05/hour=10/events+0+00000000000000000001+1.parquet",
            "topics/events/year=2024/month=08/day=05/hour=10/events+0+00000000000000000000+1.parquet"),
            f.store.keysEndingWith(".parquet"));
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of()));
    }

    @Test
    void aFirstRecordBehindTheCheckpointStopsTheTaskWithTheFix() {
        S3ParquetSinkTask first = f.start(10);
        first.put(records(0, 10));
        settle(first);
        first.stop();
        // The topic was deleted and created again: the consumer, reset to the start, delivers offset 0.
        S3ParquetSinkTask second = f.start(10);
        ConnectException e = assertThrows(ConnectException.class, () -> SinkFixture.putAndSettle(second, records(0, 5)));
        assertTrue(e.getMessage().contains("beyond the end of the log") && e.getMessage().contains("offsets"),
            e.getMessage());
    }

    @Test
    void theEventTimeIntervalCommitsBeforeABatchSpansTooMuchEventTime() throws Exception {
        S3ParquetSinkTask task = f.start(1000, false, null, Map.of("rotate.eventtime.interval.ms", "100"),
            List.of(TP));
        task.put(records(0, 250));
        settle(task);
        // Record times are T0 + offset: every 100 ms of event time ends a batch.
        assertEquals(Map.of(TP, new OffsetAndMetadata(200)), task.preCommit(Map.of()));
        assertEquals(range(0, 200), f.idsInLake());
        assertFalse(f.store.keysEndingWith(".parquet").isEmpty());
    }
}
