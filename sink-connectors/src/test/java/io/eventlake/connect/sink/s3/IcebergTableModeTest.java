package io.eventlake.connect.sink.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.connect.sink.s3.iceberg.TableCompaction;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.S3ObjectStore;
import io.eventlake.connect.sink.s3.storage.S3Settings;

/**
 * Table mode end to end at task level: a real S3 server on loopback, a JDBC catalog on an H2 file, the task writing
 * and committing, and the table read back by two readers that are not the sink: Iceberg's generic reader, and
 * DuckDB over the current snapshot's file list.
 */
class IcebergTableModeTest {

    @TempDir
    static Path dir;
    private static S3ProxyServer server;
    private static int tableCount;

    @BeforeAll
    static void startServer() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("s3"));
        server = S3ProxyServer.start(dir.resolve("s3"), "lake");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private final String catalogUri = "jdbc:h2:" + dir.resolve("catalog-" + (++tableCount)).toAbsolutePath();

    private Map<String, String> props(int flushSize) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "lake-sink");
        p.put("s3.bucket.name", "lake");
        p.put("s3.endpoint.url", server.endpoint());
        p.put("s3.path.style.access", "true");
        p.put("aws.access.key.id", S3ProxyServer.ACCESS_KEY);
        p.put("aws.secret.access.key", S3ProxyServer.SECRET_KEY);
        p.put("flush.size", Integer.toString(flushSize));
        p.put("rotate.wallclock.interval.ms", "600000");
        p.put("partition.time.granularity", "day");
        p.put("table.format", "iceberg");
        p.put("iceberg.catalog.type", "jdbc");
        p.put("iceberg.catalog.uri", catalogUri);
        p.put("iceberg.catalog.warehouse", "s3://lake/warehouse");
        p.put("commit.retry.backoff.ms", "10");
        p.put("commit.retry.backoff.max.ms", "20");
        return p;
    }

    private S3ParquetSinkTask start(FakeSinkTaskContext context, int flushSize) {
        return start(context, props(flushSize), List.of(SinkFixture.TP));
    }

    private S3ParquetSinkTask start(FakeSinkTaskContext context, Map<String, String> props,
                                    List<TopicPartition> partitions) {
        S3ParquetSinkTask task = new S3ParquetSinkTask();
        context.assignment = new java.util.HashSet<>(partitions);
        task.initialize(context);
        task.start(props);
        task.open(partitions);
        return task;
    }

    private static int snapshotCount(Table table) {
        int n = 0;
        for (Snapshot ignored : table.snapshots()) {
            n++;
        }
        return n;
    }

    /** Parquet files under a folder of the S3 server's disk (0 before it exists). */
    private static long parquetFiles(Path folder) {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(folder)) {
            return all.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** The test's own catalog over the sink's tables, to read them back; closed (with its FileIO) after each test. */
    private Catalog catalog;

    @AfterEach
    void closeCatalog() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
        catalog = null;
    }

    private Catalog catalog() {
        if (catalog == null) {
            catalog = newCatalog();
        }
        return catalog;
    }

    private Catalog newCatalog() {
        Map<String, String> p = new HashMap<>();
        p.put("type", "jdbc");
        p.put("uri", catalogUri);
        p.put("warehouse", "s3://lake/warehouse");
        p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        p.put("http-client.type", "urlconnection");
        p.put("s3.endpoint", server.endpoint());
        p.put("s3.path-style-access", "true");
        p.put("s3.access-key-id", S3ProxyServer.ACCESS_KEY);
        p.put("s3.secret-access-key", S3ProxyServer.SECRET_KEY);
        p.put("client.region", "us-east-1");
        return CatalogUtil.buildIcebergCatalog("eventlake", p, null);
    }

    private Table table() {
        return catalog().loadTable(TableIdentifier.of("eventlake", "events"));
    }

    /** Ids of every row of the table's current snapshot, by Iceberg's generic reader, sorted. */
    private List<Long> idsByIceberg(Table table) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record r : rows) {
                ids.add((Long) r.getField("id"));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /** Ids of every row of the current snapshot's data files, by DuckDB reading them from the S3 server's folder. */
    private List<Long> idsByDuckDb(Table table) throws Exception {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                String location = t.file().location();
                assertTrue(location.startsWith("s3://lake/topics/events/"), location);
                files.add("'" + dir.resolve("s3").resolve(location.substring("s3://".length())) + "'");
            }
        }
        List<Long> ids = new ArrayList<>();
        if (files.isEmpty()) {
            return ids;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM read_parquet([" + String.join(",", files)
                 + "]) ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static void awaitCommitted(S3ParquetSinkTask task, long next) throws InterruptedException {
        awaitCommitted(task, SinkFixture.TP, next);
    }

    @Test
    void landsEveryRecordOnceInTheTableWithItsOffsetsInTheSnapshot() throws Exception {
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = start(context, 50);
        try {
            task.put(SinkFixture.records(0, 250));
            awaitCommitted(task, 250);
        } finally {
            task.stop();
        }
        Table table = table();
        assertEquals(SinkFixture.range(0, 250), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 250), idsByDuckDb(table));
        Snapshot current = table.currentSnapshot();
        assertEquals("{\"events-0\":250}", current.summary().get("eventlake.offsets.lake-sink"));
        assertEquals("event_time_day", table.spec().fields().get(0).name());
    }

    /**
     * Batches sealed a moment apart share one snapshot (the wall clock seals a task's partitions together; their
     * uploads finish apart). Sequence: a task with {@code iceberg.commit.linger.ms=3000} (the test's value of
     * {@code linger}) is assigned 4 partitions, flush size 10; one put holds 10 records of partitions 0-2: three
     * batches are sealed, uploaded and queued for the table's committer, which waits; once their files are in the
     * bucket a put holds 10 records of partition 3, whose batch joins the queue. One snapshot then holds the four batches and records every
     * partition's offset. With the linger at 0 the first batches commit at once and partition 3 makes a second
     * snapshot (checked by setting it to 0: the test fails).
     */
    @Test
    void batchesSealedAMomentApartShareOneSnapshot() throws Exception {
        String linger = "3000";
        Map<String, String> props = props(10);
        props.put("iceberg.commit.linger.ms", linger);
        props.put("topics.dir", "linger");
        List<TopicPartition> partitions = new ArrayList<>();
        List<org.apache.kafka.connect.sink.SinkRecord> first = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new TopicPartition(SinkFixture.TOPIC, p));
            if (p < 3) {
                first.addAll(SinkFixture.records(p, 0, 10));
            }
        }
        S3ParquetSinkTask task = start(new FakeSinkTaskContext(false), props, partitions);
        try {
            task.put(first);
            Path files = dir.resolve("s3").resolve("lake").resolve("linger");
            assertTrue(SinkFixture.await(() -> parquetFiles(files) == 3), "partitions 0-2 uploaded");
            task.put(SinkFixture.records(3, 0, 10));
            for (TopicPartition tp : partitions) {
                awaitCommitted(task, tp, 10);
            }
        } finally {
            task.stop();
        }
        Table table = table();
        int snapshots = snapshotCount(table);
        assertEquals(1, snapshots, "snapshots for 4 batches sealed apart");
        assertEquals(40, idsByIceberg(table).size());
        String offsets = table.currentSnapshot().summary().get("eventlake.offsets.lake-sink");
        for (int p = 0; p < 4; p++) {
            assertTrue(offsets.contains("\"events-" + p + "\":10"), offsets);
        }
    }

    /**
     * Many partitions commit to one table together. Sequence: a task with one commit thread (s3.upload.threads=1) is
     * assigned 64 partitions; one put holds 10 records of each (flush size 10), so the write loop seals 64 batches in
     * a row; each batch's pipeline uploads its file and hands its table commit to the table's committer, which
     * appends every batch queued so far in one snapshot. Every record is in the table once, the last snapshot records
     * every partition's offset, and the 64 batches took far fewer than 64 snapshots. Before, each pipeline waited for
     * its own table commit on a commit thread, so a snapshot grouped at most as many batches as there were threads
     * (4 by default): 12,000 partitions needed 3,000 commits in a row per rotation.
     */
    @Test
    void batchesOfManyPartitionsShareSnapshotsWhateverTheCommitThreads() throws Exception {
        Map<String, String> props = props(10);
        props.put("s3.upload.threads", "1");
        List<TopicPartition> partitions = new ArrayList<>();
        List<org.apache.kafka.connect.sink.SinkRecord> records = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < 64; p++) {
            partitions.add(new TopicPartition(SinkFixture.TOPIC, p));
            records.addAll(SinkFixture.records(p, 0, 10));
            for (long o = 0; o < 10; o++) {
                ids.add(p * 1_000_000L + o);
            }
        }
        Collections.sort(ids);
        S3ParquetSinkTask task = start(new FakeSinkTaskContext(false), props, partitions);
        try {
            task.put(records);
            for (TopicPartition tp : partitions) {
                awaitCommitted(task, tp, 10);
            }
        } finally {
            task.stop();
        }
        Table table = table();
        assertEquals(ids, idsByIceberg(table));
        int snapshots = snapshotCount(table);
        assertTrue(snapshots <= 16, snapshots + " snapshots for 64 partition batches");
        String offsets = table.currentSnapshot().summary().get("eventlake.offsets.lake-sink");
        assertTrue(offsets.contains("\"events-63\":10"), offsets);
    }

    /**
     * Spilled files in table mode. Sequence: 10 partitions, each with 20,000 records over 20 event-time days, are put
     * into a 10 MiB budget (200 open folders): the budget is reached and the open files spill to the task's spill
     * folder, again and again; the batches are then sealed (flush.size), each file assembled from its segments and
     * registered with the metrics of the assembled file's footer. Iceberg's own reader (which finds columns by the
     * field ids of the Parquet schema) reads every record once; each data file's registered record count is its
     * rows; a scan for one id keeps only files whose bounds hold it (those of its own partition at most).
     */
    @Test
    void spilledFilesAreRegisteredWithTheirFieldIdsAndMetrics() throws Exception {
        Map<String, String> props = props(20_000);
        props.put("memory.budget.bytes", Long.toString(10L << 20));
        props.put("s3.part.bytes", Integer.toString(5 << 20));
        props.put("spill.dir", dir.resolve("spill-" + tableCount).toString());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            partitions.add(new TopicPartition(SinkFixture.TOPIC, p));
        }
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = start(context, props, partitions);
        List<Long> all = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                List<org.apache.kafka.connect.sink.SinkRecord> batch = new ArrayList<>();
                for (int p = 0; p < 10; p++) {
                    for (long offset = round * 1000L; offset < (round + 1) * 1000L; offset++) {
                        long id = p * 1_000_000L + offset;
                        long time = SinkFixture.T0 + ((offset * 7 + p) % 20) * 86_400_000L;
                        all.add(id);
                        batch.add(new org.apache.kafka.connect.sink.SinkRecord(SinkFixture.TOPIC, p, null, null,
                            SinkFixture.SCHEMA, new org.apache.kafka.connect.data.Struct(SinkFixture.SCHEMA)
                                .put("id", id).put("event_time", new java.util.Date(time)), offset, time,
                            org.apache.kafka.common.record.TimestampType.CREATE_TIME));
                    }
                }
                task.put(batch);
            }
            assertTrue(task.spill().segmentsWritten() > 0, "the budget spilled");
            for (TopicPartition tp : partitions) {
                awaitCommitted(task, tp, 20_000);
            }
        } finally {
            task.stop();
        }
        Table table = table();
        Collections.sort(all);
        assertEquals(all, idsByIceberg(table));
        long files = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                files++;
                String location = t.file().location();
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('"
                         + dir.resolve("s3").resolve(location.substring("s3://".length())) + "')")) {
                    rs.next();
                    assertEquals(rs.getLong(1), t.file().recordCount(), location);
                }
            }
        }
        assertEquals(200, files, "one file per (partition, day)");
        long probe = 3_000_123L;
        try (CloseableIterable<FileScanTask> tasks = table.newScan()
            .filter(org.apache.iceberg.expressions.Expressions.equal("id", probe)).planFiles()) {
            long kept = 0;
            for (FileScanTask t : tasks) {
                kept++;
            }
            assertTrue(kept >= 1 && kept <= 20, kept + " of 200 files kept for one id (its partition's at most)");
        }
    }

    @Test
    void aRestartedTaskResumesWhereTheTableSays() throws Exception {
        FakeSinkTaskContext first = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = start(first, 50);
        try {
            task.put(SinkFixture.records(0, 100));
            awaitCommitted(task, 100);
        } finally {
            task.stop();
        }
        FakeSinkTaskContext second = new FakeSinkTaskContext(false);
        S3ParquetSinkTask again = start(second, 50);
        try {
            assertEquals(100L, second.rewinds.get(SinkFixture.TP));
            again.put(SinkFixture.records(100, 200));
            awaitCommitted(again, 200);
        } finally {
            again.stop();
        }
        assertEquals(SinkFixture.range(0, 200), idsByIceberg(table()));
    }

    /**
     * A zombie's commit is refused:
     * <ol>
     *   <li>task A opens events-0 (the table has no record of it);</li>
     *   <li>the partition moves without A noticing: task B opens events-0 and commits offsets 0..49 (the table
     *       records 50);</li>
     *   <li>task A, now a zombie, receives offsets 0..49 and commits them, expecting no record;</li>
     * </ol>
     * A's commit is refused (its partition is fenced in A), and the table holds offsets 0..49 exactly once.
     */
    @Test
    void aZombieCommitIsRefusedAndNothingLandsTwice() throws Exception {
        FakeSinkTaskContext contextA = new FakeSinkTaskContext(false);
        S3ParquetSinkTask a = start(contextA, 50);
        FakeSinkTaskContext contextB = new FakeSinkTaskContext(false);
        S3ParquetSinkTask b = start(contextB, 50);
        try {
            b.put(SinkFixture.records(0, 50));
            awaitCommitted(b, 50);
            a.put(SinkFixture.records(0, 50));
            SinkFixture.settle(a);
            a.put(List.of());
            Map<TopicPartition, OffsetAndMetadata> durable = a.preCommit(Map.of());
            assertFalse(durable.containsKey(SinkFixture.TP) && durable.get(SinkFixture.TP).offset() > 0,
                "the zombie's offsets must not be reported as committed: " + durable);
        } finally {
            a.stop();
            b.stop();
        }
        Table table = table();
        assertEquals(SinkFixture.range(0, 50), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 50), idsByDuckDb(table));
        assertEquals("{\"events-0\":50}", table.currentSnapshot().summary().get("eventlake.offsets.lake-sink"));
    }

    /**
     * A new optional field becomes a new column: records of the first schema, then records whose schema adds an
     * optional {@code channel}. The table's schema gains the column (with a new field id), and Iceberg's reader
     * returns null for the rows written before it and the value for the rows after.
     */
    @Test
    void aNewOptionalFieldBecomesANewColumn() throws Exception {
        List<org.apache.kafka.connect.sink.SinkRecord> later = withChannel(50, 100);
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = start(context, 50);
        try {
            task.put(SinkFixture.records(0, 50));
            awaitCommitted(task, 50);
            task.put(later);
            awaitCommitted(task, 100);
        } finally {
            task.stop();
        }
        Table table = table();
        assertTrue(table.schema().findField("channel") != null, table.schema().toString());
        assertChannelsFrom50(table);
    }

    /** Records [from, to) of partition 0 in a second schema, with a new optional field {@code channel}. */
    private static List<org.apache.kafka.connect.sink.SinkRecord> withChannel(long from, long to) {
        org.apache.kafka.connect.data.Schema v2 = org.apache.kafka.connect.data.SchemaBuilder.struct().name("Event")
            .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("event_time", org.apache.kafka.connect.data.Timestamp.builder().optional().build())
            .field("channel", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();
        List<org.apache.kafka.connect.sink.SinkRecord> later = new ArrayList<>();
        for (long o = from; o < to; o++) {
            org.apache.kafka.connect.data.Struct value = new org.apache.kafka.connect.data.Struct(v2).put("id", o)
                .put("event_time", new java.util.Date(SinkFixture.T0 + o)).put("channel", "web-" + o);
            later.add(new org.apache.kafka.connect.sink.SinkRecord(SinkFixture.TOPIC, 0, null, null, v2, value, o,
                SinkFixture.T0 + o, org.apache.kafka.common.record.TimestampType.CREATE_TIME));
        }
        return later;
    }

    /** Ids 0-99 each once, those from 50 on with their channel, the others without. */
    private static void assertChannelsFrom50(Table table) throws Exception {
        Map<Long, Object> channels = new java.util.TreeMap<>();
        int rows = 0;
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            for (Record r : read) {
                channels.put((Long) r.getField("id"), r.getField("channel"));
                rows++;
            }
        }
        assertEquals(100, rows);
        assertEquals(100, channels.size());
        for (long id = 0; id < 100; id++) {
            assertEquals(id < 50 ? null : "web-" + id, channels.get(id), "id " + id);
        }
    }

    /** A store that runs a check right after each data file is uploaded (before its commit). */
    private static final class ObservingStore implements io.eventlake.connect.sink.s3.storage.ObjectStore {
        private final io.eventlake.connect.sink.s3.storage.ObjectStore delegate;
        private final java.util.function.Consumer<String> afterDataFile;

        ObservingStore(io.eventlake.connect.sink.s3.storage.ObjectStore delegate,
                       java.util.function.Consumer<String> afterDataFile) {
            this.delegate = delegate;
            this.afterDataFile = afterDataFile;
        }

        @Override
        public String putIfAbsent(String key, java.util.function.Supplier<java.io.InputStream> content, long length) {
            String etag = delegate.putIfAbsent(key, content, length);
            if (key.endsWith(".parquet")) {
                afterDataFile.accept(key);
            }
            return etag;
        }

        @Override
        public String putIfMatch(String key, java.util.function.Supplier<java.io.InputStream> content, long length,
                                 String etag) {
            return delegate.putIfMatch(key, content, length, etag);
        }

        @Override
        public java.util.Optional<StoredObject> get(String key) {
            return delegate.get(key);
        }

        @Override
        public java.util.Optional<Long> head(String key) {
            return delegate.head(key);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public io.eventlake.connect.sink.s3.storage.MultipartUpload startMultipart(String key) {
            return delegate.startMultipart(key);
        }

        @Override
        public List<PendingUpload> pendingUploads(String prefix) {
            return delegate.pendingUploads(prefix);
        }

        @Override
        public void abortUpload(PendingUpload upload) {
            delegate.abortUpload(upload);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /**
     * A reader never sees the rows of a commit that fails. Sequence:
     * <ol>
     *   <li>task C lands events-1's offsets 0..49 and stops: the table exists, with no record of events-0;</li>
     *   <li>task A opens events-0 (no record in the table; A knows the table from then on);</li>
     *   <li>task B opens events-0 and commits offsets 0..49 (the table holds 50 rows, records offset 50);</li>
     *   <li>task A, a zombie now, writes offsets 0..49 and uploads its file: the file is in the bucket;</li>
     *   <li>right then, before A's commit, the table is read by Iceberg's reader and DuckDB: B's 50 rows, and A's
     *       file is in no snapshot;</li>
     *   <li>A's commit is refused; the table still holds B's 50 rows once.</li>
     * </ol>
     */
    @Test
    void aReaderBetweenTheUploadAndAFailedCommitSeesNoneOfItsRows() throws Exception {
        List<String> seenAtUpload = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Throwable> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        S3ParquetSinkTask a = new S3ParquetSinkTask(settings -> new ObservingStore(
            io.eventlake.connect.sink.s3.storage.S3ObjectStore.create(settings), key -> {
                try {
                    Table table = table();
                    assertTrue(java.nio.file.Files.exists(dir.resolve("s3").resolve("lake").resolve(key)), key);
                    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                        for (FileScanTask t : tasks) {
                            assertFalse(t.file().location().endsWith(key), "uncommitted file listed: " + key);
                        }
                    }
                    List<Long> committed = new ArrayList<>(SinkFixture.range(0, 50));
                    committed.addAll(SinkFixture.range(1_000_000, 1_000_050));
                    assertEquals(committed, idsByIceberg(table));
                    assertEquals(committed, idsByDuckDb(table));
                    seenAtUpload.add(key);
                } catch (Throwable t) {
                    problems.add(t);
                }
            }), org.apache.kafka.common.utils.Time.SYSTEM);
        TopicPartition tp1 = new TopicPartition(SinkFixture.TOPIC, 1);
        S3ParquetSinkTask c = start(new FakeSinkTaskContext(false), props(50), List.of(tp1));
        try {
            c.put(SinkFixture.records(1, 0, 50));
            awaitCommitted(c, tp1, 50);
        } finally {
            c.stop();
        }
        FakeSinkTaskContext contextA = new FakeSinkTaskContext(false);
        contextA.assignment = new java.util.HashSet<>(List.of(SinkFixture.TP));
        a.initialize(contextA);
        a.start(props(50));
        a.open(List.of(SinkFixture.TP));
        FakeSinkTaskContext contextB = new FakeSinkTaskContext(false);
        S3ParquetSinkTask b = start(contextB, 50);
        try {
            b.put(SinkFixture.records(0, 50));
            awaitCommitted(b, 50);
            a.put(SinkFixture.records(0, 50));
            SinkFixture.settle(a);
            a.put(List.of());
        } finally {
            a.stop();
            b.stop();
        }
        assertEquals(List.of(), problems);
        assertEquals(1, seenAtUpload.size(), "A uploaded its file");
        List<Long> ids = new ArrayList<>(SinkFixture.range(0, 50));
        ids.addAll(SinkFixture.range(1_000_000, 1_000_050));
        assertEquals(ids, idsByIceberg(table()));
    }

    /**
     * Expiring snapshots keeps every partition's record. Sequence:
     * <ol>
     *   <li>a task with snapshot expiry on (max age 300 ms, checked after every commit) commits events-1's offsets
     *       0..49 once;</li>
     *   <li>half a second later it commits events-0 in three batches: events-1's only record is now in a snapshot
     *       past the age, so the expiry first carries it into a new snapshot, then expires the old ones;</li>
     *   <li>the task stops; a new task opens both partitions.</li>
     * </ol>
     * The old snapshots are gone, the new task resumes events-1 at 50 and events-0 at 150 from the table, and every
     * row is there once.
     */
    @Test
    void expiringSnapshotsKeepsEveryPartitionsRecord() throws Exception {
        TopicPartition tp1 = new TopicPartition(SinkFixture.TOPIC, 1);
        List<TopicPartition> both = List.of(SinkFixture.TP, tp1);
        Map<String, String> props = props(50);
        props.put("iceberg.snapshot.max.age.ms", "300");
        props.put("iceberg.snapshot.expiry.interval.ms", "0");
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask task = start(context, props, both);
        try {
            task.put(SinkFixture.records(1, 0, 50));
            awaitCommitted(task, tp1, 50);
            Thread.sleep(500);
            for (int batch = 0; batch < 3; batch++) {
                task.put(SinkFixture.records(0, batch * 50L, batch * 50L + 50));
                awaitCommitted(task, SinkFixture.TP, batch * 50L + 50);
            }
        } finally {
            task.stop();
        }
        Table table = table();
        int snapshots = snapshotCount(table);
        assertTrue(snapshots < 5, "old snapshots expired: " + snapshots + " left");
        FakeSinkTaskContext again = new FakeSinkTaskContext(false);
        S3ParquetSinkTask next = start(again, props, both);
        next.stop();
        assertEquals(50L, again.rewinds.get(tp1));
        assertEquals(150L, again.rewinds.get(SinkFixture.TP));
        List<Long> ids = new ArrayList<>(SinkFixture.range(0, 150));
        ids.addAll(SinkFixture.range(1_000_000, 1_000_050));
        assertEquals(ids, idsByIceberg(table));
    }

    private static void awaitCommitted(S3ParquetSinkTask task, TopicPartition tp, long next)
        throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            OffsetAndMetadata o = task.preCommit(Map.of()).get(tp);
            if (o != null && o.offset() >= next) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(tp + " offset " + next + " not committed within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * An int field widened to long is a table schema update, not a dead letter: records whose {@code n} is an int32,
     * then records whose {@code n} is an int64, then int32 ones again. The table's column becomes a long; Iceberg's
     * reader returns every row's value.
     */
    @Test
    void anIntWidenedToLongIsPromotedInTheTable() throws Exception {
        org.apache.kafka.connect.data.Schema narrow = org.apache.kafka.connect.data.SchemaBuilder.struct()
            .name("Event").field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("event_time", org.apache.kafka.connect.data.Timestamp.builder().optional().build())
            .field("n", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA).build();
        org.apache.kafka.connect.data.Schema wide = org.apache.kafka.connect.data.SchemaBuilder.struct()
            .name("Event").field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("event_time", org.apache.kafka.connect.data.Timestamp.builder().optional().build())
            .field("n", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA).build();
        List<org.apache.kafka.connect.sink.SinkRecord> records = new ArrayList<>();
        for (long o = 0; o < 150; o++) {
            boolean isWide = o >= 50 && o < 100;
            org.apache.kafka.connect.data.Schema s = isWide ? wide : narrow;
            org.apache.kafka.connect.data.Struct v = new org.apache.kafka.connect.data.Struct(s).put("id", o)
                .put("event_time", new java.util.Date(SinkFixture.T0 + o));
            v.put("n", isWide ? (Object) (o * 1_000_000_000L) : (Object) (int) o);
            records.add(new org.apache.kafka.connect.sink.SinkRecord(SinkFixture.TOPIC, 0, null, null, s, v, o,
                SinkFixture.T0 + o, org.apache.kafka.common.record.TimestampType.CREATE_TIME));
        }
        FakeSinkTaskContext context = new FakeSinkTaskContext(true);
        S3ParquetSinkTask task = start(context, 50);
        try {
            for (int b = 0; b < 3; b++) {
                task.put(records.subList(b * 50, b * 50 + 50));
                awaitCommitted(task, b * 50L + 50);
            }
        } finally {
            task.stop();
        }
        assertEquals(0, context.reported.size(), "records sent to the dead letter queue");
        Table table = table();
        assertEquals(org.apache.iceberg.types.Types.LongType.get(), table.schema().findField("n").type());
        Map<Long, Object> n = new java.util.TreeMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record r : rows) {
                n.put((Long) r.getField("id"), r.getField("n"));
            }
        }
        assertEquals(150, n.size());
        for (long id = 0; id < 150; id++) {
            assertEquals(id >= 50 && id < 100 ? id * 1_000_000_000L : id, n.get(id), "id " + id);
        }
    }

    // ---- compaction ----

    private Map<String, String> compacting(int flushSize, int minFiles) {
        Map<String, String> p = props(flushSize);
        p.put("iceberg.compaction.min.files", Integer.toString(minFiles));
        p.put("iceberg.compaction.interval.ms", "0");
        return p;
    }

    /** Lands records [from, to) of partition 0 with compaction off: one file per flush.size records. */
    private void land(long from, long to, int flushSize) throws Exception {
        S3ParquetSinkTask task = start(new FakeSinkTaskContext(false), flushSize);
        try {
            task.put(SinkFixture.records(from, to));
            awaitCommitted(task, to);
        } finally {
            task.stop();
        }
    }

    private static S3ObjectStore store() {
        return S3ObjectStore.create(S3Settings.forEndpoint("lake", server.endpoint(), S3ProxyServer.ACCESS_KEY,
            S3ProxyServer.SECRET_KEY));
    }

    private static TableCompaction compaction(S3ObjectStore store, int minFiles) {
        return new TableCompaction(store, "lake", new ParquetFile.Options(CompressionCodecName.ZSTD, 1 << 20,
            64 << 10, 5 << 20), minFiles, 64L << 20);
    }

    private static int dataFiles(Table table) throws Exception {
        table.refresh();
        int n = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask ignored : tasks) {
                n++;
            }
        }
        return n;
    }

    private static long gauge(org.apache.kafka.common.metrics.Metrics metrics, String name) {
        for (var e : metrics.metrics().entrySet()) {
            if (e.getKey().name().equals(name)) {
                return ((Number) e.getValue().metricValue()).longValue();
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static boolean hasRewrite(Table table) {
        table.refresh();
        for (Snapshot s : table.snapshots()) {
            if (s.summary().containsKey("eventlake.compaction")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The sink compacts what it lands. Sequence: flush size 10, {@code iceberg.compaction.min.files=3}, interval 0; 100
     * records of one Kafka partition and one day are put and committed as 10 small files; after its commits the
     * task's compaction thread finds the day's small files, merges their rows into a file beside them and replaces
     * them with a rewrite snapshot. Then: the table holds fewer files than the 10 landed; Iceberg's reader and DuckDB
     * over the current snapshot's files read every id once; a restarted task resumes at offset 100 (a rewrite records
     * no offsets; the appends before it do).
     */
    @Test
    void theSinkMergesAPartitionsSmallFilesAndEveryRowStaysOnce() throws Exception {
        Map<String, String> props = compacting(10, 3);
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        org.apache.kafka.common.metrics.Metrics metrics = new org.apache.kafka.common.metrics.Metrics();
        context.metrics = new org.apache.kafka.common.metrics.internals.PluginMetricsImpl(metrics,
            Map.of("connector", "lake-sink", "task", "0"));
        S3ParquetSinkTask task = start(context, props, List.of(SinkFixture.TP));
        try {
            for (long from = 0; from < 100; from += 10) {
                task.put(SinkFixture.records(from, from + 10));
                awaitCommitted(task, from + 10);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (!hasRewrite(table())) {
                assertTrue(System.currentTimeMillis() < deadline, "no rewrite commit within 30 s");
                Thread.sleep(50);
            }
            // What the task's metrics say of it (gauges read when asked).
            deadline = System.currentTimeMillis() + 30_000;
            while (gauge(metrics, "table-rewrites-total") < 1) {
                assertTrue(System.currentTimeMillis() < deadline, "no rewrite counted within 30 s");
                Thread.sleep(50);
            }
            assertTrue(gauge(metrics, "table-files-merged-total") >= 3);
            assertTrue(gauge(metrics, "table-commits-total") >= 1);
            assertEquals(0, gauge(metrics, "table-snapshots-expired-total"));
        } finally {
            task.stop();
            metrics.close();
        }
        Table table = table();
        assertTrue(dataFiles(table) < 10, dataFiles(table) + " files after compaction");
        assertEquals(SinkFixture.range(0, 100), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 100), idsByDuckDb(table));
        FakeSinkTaskContext again = new FakeSinkTaskContext(false);
        start(again, props, List.of(SinkFixture.TP)).stop();
        assertEquals(100L, again.rewinds.get(SinkFixture.TP));
    }

    /**
     * Two compactions of the same files: only one replaces them. Sequence: 100 records land as 10 files; two
     * compactions plan on the same snapshot and both write their merged file; the first commits its rewrite; the
     * second's rewrite fails validation (its files are no longer in the table), so its merged file is deleted. The
     * table lists one file, and every id once.
     */
    @Test
    void aRewriteThatLosesARaceAddsNothingAndDropsItsFile() throws Exception {
        land(0, 100, 10);
        Table table = table();
        try (S3ObjectStore store = store()) {
            TableCompaction c = compaction(store, 5);
            TableCompaction.Plan first = c.plan(table).get(0);
            TableCompaction.Plan second = c.plan(table).get(0);
            assertEquals(10, first.files().size());
            TableCompaction.Merged a = c.write(table, first);
            TableCompaction.Merged b = c.write(table, second);
            assertTrue(store.head(b.key()).isPresent());
            assertTrue(c.commit(table, first, a));
            assertFalse(c.commit(table, second, b));
            assertFalse(store.head(b.key()).isPresent(), "the losing merge's file is deleted");
        }
        assertEquals(1, dataFiles(table));
        assertEquals(SinkFixture.range(0, 100), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 100), idsByDuckDb(table));
    }

    /**
     * The sink appends while a compaction runs. Sequence: 50 records land as 5 files; a compaction plans and writes
     * their merge; meanwhile a task lands records 50-100 (5 more files, appended to the same table partition); then
     * the rewrite commits. It replaces only the 5 files it merged: the 5 appended stay, and every id is read once.
     */
    @Test
    void filesAppendedDuringARewriteStay() throws Exception {
        land(0, 50, 10);
        Table table = table();
        try (S3ObjectStore store = store()) {
            TableCompaction c = compaction(store, 5);
            TableCompaction.Plan plan = c.plan(table).get(0);
            TableCompaction.Merged merged = c.write(table, plan);
            land(50, 100, 10);
            assertTrue(c.commit(table, plan, merged));
        }
        assertEquals(6, dataFiles(table));
        assertEquals(SinkFixture.range(0, 100), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 100), idsByDuckDb(table));
    }

    /**
     * A crash between the merged file's upload and the rewrite commit. Sequence: 100 records land as 10 files; a
     * compaction writes their merge to S3 and stops before its commit (the task dies). The merged file is in the
     * bucket but in no snapshot: both readers of the table read every id once. The next compaction merges the 10
     * files again and commits: one file, every id once.
     */
    @Test
    void aCrashBeforeTheRewriteCommitLeavesTheTableAsItWas() throws Exception {
        land(0, 100, 10);
        Table table = table();
        try (S3ObjectStore store = store()) {
            TableCompaction c = compaction(store, 5);
            TableCompaction.Merged orphan = c.write(table, c.plan(table).get(0));
            assertTrue(store.head(orphan.key()).isPresent());
            assertEquals(10, dataFiles(table));
            assertEquals(SinkFixture.range(0, 100), idsByIceberg(table));
            assertEquals(SinkFixture.range(0, 100), idsByDuckDb(table));
            TableCompaction.Result r = c.compact(table);
            assertEquals(1, r.rewrites());
            assertEquals(10, r.filesMerged());
        }
        assertEquals(1, dataFiles(table));
        assertEquals(SinkFixture.range(0, 100), idsByIceberg(table));
        assertEquals(SinkFixture.range(0, 100), idsByDuckDb(table));
    }

    /**
     * Compaction across a schema change. Sequence: records 0-50 land as 5 files of the first schema, then records
     * 50-100 with a new optional field as 5 files of the second; a compaction merges files with the same columns
     * only: two rewrites, the first five into one file, the other five into another, and a second compaction finds
     * nothing to do. The table then holds 2 files; Iceberg's reader reads every id once, the later ones with their
     * new column's value.
     */
    @Test
    void filesOfTwoSchemasMergeEachWithTheirOwn() throws Exception {
        S3ParquetSinkTask task = start(new FakeSinkTaskContext(false), 10);
        try {
            task.put(SinkFixture.records(0, 50));
            awaitCommitted(task, 50);
            task.put(withChannel(50, 100));
            awaitCommitted(task, 100);
        } finally {
            task.stop();
        }
        Table table = table();
        try (S3ObjectStore store = store()) {
            TableCompaction c = compaction(store, 3);
            TableCompaction.Result r = c.compact(table);
            assertEquals(2, r.rewrites());
            assertEquals(10, r.filesMerged());
            assertEquals(0, c.compact(table).rewrites());
        }
        assertEquals(2, dataFiles(table));
        assertChannelsFrom50(table);
    }

    private static List<org.apache.kafka.connect.sink.SinkRecord> routed(long from, long to) {
        return SinkFixture.records(from, to).stream().map(r -> r.newRecord("routed", r.kafkaPartition(),
            r.keySchema(), r.key(), r.valueSchema(), r.value(), r.timestamp())).toList();
    }

    /**
     * A routing transform sends a partition's records to another table, and the task restarts. Sequence: a task
     * lands records 0-100 of events-0 routed to the table {@code routed} (as a RegexRouter before the sink does: the
     * record's topic is {@code routed}, its original topic {@code events}) and commits them; it stops before Connect
     * commits the consumer's offsets; a new task opens events-0 (no table {@code events} exists, so it resumes where
     * Connect's offsets say: the beginning) and is given records 0-151 again. It skips 0-100, which the routed table
     * records, and commits 100-151: every id once. Before, a new task knew only the tables of its partitions' own
     * topics: it wrote 0-100 again, and the routed table refused the commit (it expected no offset for events-0 where
     * the table records 100), fencing the partition.
     */
    @Test
    void aRestartedTaskSkipsWhatARoutedTableHolds() throws Exception {
        S3ParquetSinkTask first = start(new FakeSinkTaskContext(false), 50);
        try {
            first.put(routed(0, 100));
            awaitCommitted(first, 100);
        } finally {
            first.stop();
        }
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        S3ParquetSinkTask second = start(context, 50);
        try {
            // Skipped records count toward flush.size: batches 0-100 (one row) and 101-150.
            second.put(routed(0, 151));
            awaitCommitted(second, 151);
        } finally {
            second.stop();
        }
        Table table = catalog().loadTable(TableIdentifier.of("eventlake", "routed"));
        assertEquals(SinkFixture.range(0, 151), idsByIceberg(table));
        assertEquals("{\"events-0\":151}", table.currentSnapshot().summary().get("eventlake.offsets.lake-sink"));
    }
}
