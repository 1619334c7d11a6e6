package io.eventlake.connect.sink.s3;

import static io.eventlake.connect.sink.s3.SinkFixture.T0;
import static io.eventlake.connect.sink.s3.SinkFixture.TOPIC;
import static io.eventlake.connect.sink.s3.SinkFixture.TP;
import static io.eventlake.connect.sink.s3.SinkFixture.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layouts, schemas and memory through the whole task, read back with DuckDB. */
class LakeLayoutTaskTest {

    private final SinkFixture f = new SinkFixture();

    private static Schema typed(int version, boolean withNote) {
        SchemaBuilder b = SchemaBuilder.struct().name("io.eventlake.Event").version(version).doc("v" + version)
            .field("id", Schema.INT64_SCHEMA)
            .field("event_type", Schema.STRING_SCHEMA)
            .field("event_time", Timestamp.SCHEMA);
        if (withNote) {
            b.field("note", Schema.OPTIONAL_STRING_SCHEMA);
        }
        return b.build();
    }

    private static SinkRecord rec(Schema schema, long offset, String type, long time) {
        Struct v = new Struct(schema).put("id", offset).put("event_type", type).put("event_time", new Date(time));
        if (schema.field("note") != null) {
            v.put("note", "n" + offset);
        }
        return new SinkRecord(TOPIC, 0, null, "user-" + offset, schema, v, offset, time, TimestampType.CREATE_TIME);
    }

    @Test
    void fieldAndDailyTimePartitionsWithKafkaMetadataColumns() throws Exception {
        S3ParquetSinkTask task = f.start(6, false, null, Map.of("partition.fields", "event_type",
            "partition.time.granularity", "day", "parquet.metadata.columns", "partition,offset,key"), List.of(TP));
        Schema s = typed(1, false);
        List<SinkRecord> batch = new ArrayList<>();
        for (long o = 0; o < 6; o++) {
            batch.add(rec(s, o, o % 2 == 0 ? "purchase" : "view", T0 + o * 86_400_000L / 2));
        }
        task.put(batch);
        settle(task);
        Set<String> folders = new HashSet<>();
        for (String k : f.store.keysEndingWith(".parquet")) {
            folders.add(k.substring(0, k.lastIndexOf('/')));
        }
        assertEquals(Set.of("topics/events/event_type=purchase/year=2024/month=08/day=05",
            "topics/events/event_type=purchase/year=2024/month=08/day=06",
            "topics/events/event_type=purchase/year=2024/month=08/day=07",
            "topics/events/event_type=view/year=2024/month=08/day=05",
            "topics/events/event_type=view/year=2024/month=08/day=06",
            "topics/events/event_type=view/year=2024/month=08/day=07"), folders);
        List<Map<String, Object>> rows = ParquetReader.rows(f.store.keysEndingWith(".parquet").stream()
            .map(f.store.objects::get).toList(), "SELECT id, kafka_partition AS p, kafka_offset AS o, kafka_key AS k "
            + "FROM t ORDER BY id");
        assertEquals(6, rows.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(Map.of("id", (long) i, "p", 0, "o", (long) i, "k", "user-" + i), rows.get(i));
        }
    }

    /**
     * Issue 5: an unrelated schema produced to the topic must not land in the folder (readers would fail), and
     * interleaved versions or doc-only differences must not start a file each.
     */
    @Test
    void aForeignSchemaGoesToTheDeadLetterQueueAndInterleavedVersionsShareFiles() throws Exception {
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(40, true, context, Map.of(), List.of(TP));
        List<SinkRecord> batch = new ArrayList<>();
        for (long o = 0; o < 40; o++) {
            // v1 and v2 interleaved (a rolling producer upgrade), every schema instance new (more than 16 live).
            batch.add(rec(typed((int) o + 1, o % 2 == 1), o, "view", T0));
        }
        Schema foreign = SchemaBuilder.struct().name("com.acme.Invoice").field("invoice", Schema.STRING_SCHEMA)
            .field("lines", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build();
        batch.set(20, new SinkRecord(TOPIC, 0, null, null, foreign, new Struct(foreign).put("invoice", "i-1")
            .put("lines", List.of("a")), 20, T0, TimestampType.CREATE_TIME));
        task.put(batch);
        settle(task);

        assertEquals(1, context[0].reported.size());
        assertEquals(20L, context[0].reported.get(0).kafkaOffset());
        List<String> files = f.store.keysEndingWith(".parquet");
        assertEquals(2, files.size(), "one file before the first v2 record, one after: " + files);
        List<Map<String, Object>> rows = ParquetReader.rows(files.stream().map(f.store.objects::get).toList(),
            "SELECT count(*) AS n, count(note) AS notes FROM t");
        assertEquals(Map.of("n", 39L, "notes", 20L), rows.get(0));
        assertEquals(Map.of(TP, new OffsetAndMetadata(40)), task.preCommit(Map.of()));
    }

    @Test
    void anArrivalPolicyKeepsLateEventsOutOfOldFolders() throws Exception {
        S3ParquetSinkTask task = f.start(100, false, null, Map.of("late.events.policy", "arrival",
            "late.events.threshold.ms", "3600000"), List.of(TP));
        Schema s = typed(1, false);
        List<SinkRecord> batch = new ArrayList<>();
        long now = T0 + 48 * 3_600_000L;
        for (long o = 0; o < 100; o++) {
            // Every fifth event is a day late.
            batch.add(rec(s, o, "view", o % 5 == 1 ? now - 24 * 3_600_000L : now + o));
        }
        task.put(batch);
        settle(task);
        List<String> files = f.store.keysEndingWith(".parquet");
        assertEquals(1, files.size(), "late events land in the newest folder: " + files);
        assertTrue(files.stream().noneMatch(k -> k.contains("day=06/hour=10")), files.toString());
        List<Map<String, Object>> rows = ParquetReader.rows(files.stream().map(f.store.objects::get).toList(),
            "SELECT count(*) AS late FROM t WHERE epoch_ms(event_time) < " + (now - 3_600_000L));
        assertEquals(20L, rows.get(0).get("late"), "their event time is kept");
    }

    /**
     * The backfill: 200 partitions whose events span 48 event-time hours in one task, in a 16 MiB budget.
     * Each open file costs memory; when the budget is reached, the largest partitions' open files are spilled to the
     * task's spill folder and the heap stays within the budget. Sequence: Connect delivers 24 records of each
     * unpaused partition per poll, 480 per partition (the budget is reached many times; a pause for slow uploads is
     * honoured as Connect does); the clock passes the wall-clock interval and the batches commit. With spilling every
     * (partition, hour) folder gets exactly one file, as with unlimited memory, the spill folder is empty again, and
     * every record lands once; with spilling off (spill.max.bytes=0) the budget commits files early, so the same
     * records land in more, smaller files.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBackfillOverManyPartitionsAndHoursStaysWithinTheMemoryBudget(boolean spill, @TempDir Path spillDir)
        throws Exception {
        long budget = 16L * 1024 * 1024;
        Map<TopicPartition, List<SinkRecord>> logs = SinkFixture.backfill(200, 480, 48);
        long total = 200 * 480L;
        int folders = 200 * 48;
        FakeSinkTaskContext[] context = new FakeSinkTaskContext[1];
        S3ParquetSinkTask task = f.start(100_000, false, context, Map.of("memory.budget.bytes",
            Long.toString(budget), "s3.part.bytes", Integer.toString(5 * 1024 * 1024), "rotate.wallclock.interval.ms",
            "60000", "spill.dir", spillDir.toString(), "spill.max.bytes", spill ? "1073741824" : "0"), List.of());
        ConnectDriver driver = new ConnectDriver(task, context[0], logs);
        driver.assign(logs.keySet());
        for (int polls = 0; !driver.caughtUp() || !context[0].paused.isEmpty(); polls++) {
            assertTrue(polls < 10_000, "caught up");
            driver.poll(24);
        }
        settle(task);
        assertTrue(task.writer().memoryHighWaterBytes() <= budget + 4L * 1024 * 1024,
            "high water " + task.writer().memoryHighWaterBytes() + " for a budget of " + budget);
        assertEquals(spill, task.spill().segmentsWritten() > 0);
        f.time.advance(60_000);
        driver.commit(false);
        settle(task);
        List<String> files = f.store.keysEndingWith(".parquet");
        if (spill) {
            assertEquals(folders, files.size(), "one file per (partition, hour), as with unlimited memory");
            assertEquals(0, task.spill().usedBytes());
            try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(task.spill().dir())) {
                assertEquals(0, left.count(), "segments deleted once their files were assembled");
            }
        } else {
            assertTrue(files.size() > folders, files.size() + " files for " + folders + " folders");
        }
        List<Map<String, Object>> rows = ParquetReader.rows(files.stream().map(f.store.objects::get).toList(),
            "SELECT count(*) AS n, count(DISTINCT id) AS d FROM t");
        assertEquals(Map.of("n", total, "d", total), rows.get(0));
        task.stop();
    }
}
