package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import io.eventlake.local.stack.EmbeddedCatalog;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.WorkerEnvironment;

/**
 * Table mode through the plugin zip on the embedded stack: the sink commits to Iceberg tables through a REST catalog
 * (the stack's) and through a JDBC catalog (an H2 file), and every table is read back from its current snapshot by
 * DuckDB, an engine that is not the sink, and checked record by record against the topic: every (partition,
 * offset) once, with the value the topic holds there.
 */
class IcebergTablesIT extends StackIT {

    private static Map<String, String> tableSink(String topic, Map<String, String> catalog) {
        Map<String, String> c = SinkHarness.sink(stack, stack.s3Endpoint(), topic);
        c.put("table.format", "iceberg");
        c.put("partition.time.granularity", "hour");
        // Compaction on, as in config/: rewrites race the appends (and, with several tasks, each other) all along.
        c.put("iceberg.compaction.min.files", "3");
        c.put("iceberg.compaction.interval.ms", "0");
        c.putAll(catalog);
        return c;
    }

    /** Rewrite snapshots (merged small files) in the table's history. */
    static long rewrites(Table table) {
        long n = 0;
        for (Snapshot s : table.snapshots()) {
            if (s.summary().containsKey("eventlake.compaction")) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, String> restCatalog() {
        return Map.of("iceberg.catalog.type", "rest", "iceberg.catalog.uri", stack.catalog().uri());
    }

    /** Rows of the table's current snapshot by DuckDB: (partition, offset) to id. */
    static Map<String, Long> rowsByDuckDb(Table table) throws Exception {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                String location = t.file().location();
                assertTrue(location.startsWith("s3://" + EmbeddedStack.BUCKET + "/topics/"), location);
                files.add("'" + stack.lakeDir().resolve(location.substring("s3://".length())) + "'");
            }
        }
        Map<String, Long> rows = new TreeMap<>();
        if (files.isEmpty()) {
            return rows;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kafka_partition, kafka_offset, id FROM read_parquet(["
                 + String.join(",", files) + "])")) {
            while (rs.next()) {
                Long before = rows.put(rs.getInt(1) + "@" + rs.getLong(2), rs.getLong(3));
                assertNull(before, "row " + rs.getInt(1) + "@" + rs.getLong(2) + " twice");
            }
        }
        return rows;
    }

    /** What the topic holds: (partition, offset) to id. */
    static Map<String, Long> topic(String topic) {
        JsonConverter converter = Topics.valueConverter();
        Map<String, Long> expected = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            Struct v = (Struct) converter.toConnectData(topic, r.value()).value();
            expected.put(r.partition() + "@" + r.offset(), v.getInt64("id"));
        }
        return expected;
    }

    static long committedRows(Catalog catalog, String table) {
        TableIdentifier id = TableIdentifier.of("eventlake", table);
        if (!catalog.tableExists(id)) {
            return 0;
        }
        Snapshot s = catalog.loadTable(id).currentSnapshot();
        return s == null ? 0 : Long.parseLong(s.summary().get("total-records"));
    }

    private static void landAndCheck(String topic, Map<String, String> catalogSettings, Catalog reader)
        throws Exception {
        stack.createTopic(topic, 3);
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, topic, 3)) {
            producer.send(3000);
        }
        // What the topic holds is the reference (a loaded broker may refuse a few of the test producer's sends).
        long produced = Topics.readAll(stack.bootstrapServers(), topic).size();
        assertTrue(produced > 0, "nothing produced to " + topic);
        stack.connect().putConfig(topic + "-sink", tableSink(topic, catalogSettings));
        SinkHarness.await(180, produced + " rows committed in table " + topic, () -> {
            SinkHarness.assertNoFailure(stack, topic + "-sink");
            return committedRows(reader, topic.replace('-', '_')) >= produced;
        });
        stack.connect().delete(topic + "-sink");
        Table table = reader.loadTable(TableIdentifier.of("eventlake", topic.replace('-', '_')));
        assertEquals(topic(topic), rowsByDuckDb(table));
        assertEquals("kafka_offset", table.schema().findField("kafka_offset").name());
        assertTrue(table.currentSnapshot().summary().get("eventlake.offsets." + topic + "-sink")
            .contains("\"" + topic + "-"), table.currentSnapshot().summary().toString());
        assertEquals(List.of("event_time_hour"), table.spec().fields().stream().map(f -> f.name()).toList());
    }

    @Test
    void aRestCatalogTableHoldsEveryRecordOnce() throws Exception {
        landAndCheck("ice-rest", restCatalog(), stack.catalog().catalog());
    }

    @Test
    void aJdbcCatalogTableHoldsEveryRecordOnce() throws Exception {
        String uri = "jdbc:h2:file:" + work.resolve("jdbc-catalog").resolve("db") + ";DATABASE_TO_LOWER=TRUE";
        Map<String, String> settings = Map.of("iceberg.catalog.type", "jdbc", "iceberg.catalog.uri", uri,
            "iceberg.catalog.warehouse", "s3://" + EmbeddedStack.BUCKET + "/jdbc-warehouse");
        Map<String, String> reader = new HashMap<>(EmbeddedCatalog.s3Properties(stack.s3Endpoint()));
        reader.put("type", "jdbc");
        reader.put("uri", uri);
        reader.put("warehouse", "s3://" + EmbeddedStack.BUCKET + "/jdbc-warehouse");
        // The worker runs in this JVM: its catalog and this reader share the H2 database in-process.
        landAndCheck("ice-jdbc", settings, CatalogUtil.buildIcebergCatalog("eventlake", reader, null));
    }

    /**
     * A worker killed in the middle of commits leaves every record in the table once. Sequence: a Connect worker in
     * a JVM of its own runs the table-mode sink (REST catalog, a commit every 500 ms per partition) while records
     * flow into the topic; once a third of them are committed, that JVM is killed (SIGKILL: uploads and catalog
     * commits cut short, no task stop, no offset flush); a second worker joins the same group, its task resumes each
     * partition from the offsets the table's snapshots record (files uploaded but never committed stay out of the
     * table), and lands the rest. DuckDB over the current snapshot then finds every (partition, offset) of the topic
     * exactly once, with its value. Compaction runs all along (min 3 small files, no interval), so rewrites were cut
     * short by the kill too, and the table's history holds rewrites.
     */
    @Test
    void aWorkerKilledMidCommitLeavesEveryRecordOnceInTheTable() throws Exception {
        String topic = "ice-kill";
        stack.createTopic(topic, 3);
        Path plugins = work.resolve("kill-plugins");
        io.eventlake.local.stack.PluginInstaller.install(ItStack.pluginZip(), plugins);
        Path lib = Path.of(System.getProperty("eventlake.worker.newest.lib"));
        Map<String, String> env = new HashMap<>(stack.workerEnvironment());
        env.keySet().removeIf(k -> !k.startsWith("EVENTLAKE_"));
        Map<String, String> sink = tableSink(topic, Map.of("iceberg.catalog.type", "rest", "iceberg.catalog.uri",
            WorkerEnvironment.placeholder(WorkerEnvironment.ICEBERG_CATALOG_URI)));
        sink.put("flush.size", "200");
        Catalog reader = stack.catalog().catalog();
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, topic, 3).startFlow(2000)) {
            ForkedWorker first = ForkedWorker.start(lib, worker(plugins), env, work.resolve("kill-worker-1"),
                java.time.Duration.ofSeconds(120));
            try {
                first.rest().putConfig("ice-kill-sink", sink);
                SinkHarness.await(180, "4,000 rows committed", () -> {
                    String failure = first.rest().failure("ice-kill-sink");
                    if (failure != null) {
                        throw new AssertionError(failure);
                    }
                    return committedRows(reader, "ice_kill") >= 4000;
                });
            } finally {
                first.kill();
            }
            SinkHarness.await(30, "12,000 records produced", () -> producer.sent() >= 12_000);
        }
        long produced = Topics.readAll(stack.bootstrapServers(), topic).size();
        try (ForkedWorker second = ForkedWorker.start(lib, worker(plugins), env, work.resolve("kill-worker-2"),
            java.time.Duration.ofSeconds(120))) {
            SinkHarness.await(240, "every record committed", () -> {
                String failure = second.rest().failure("ice-kill-sink");
                if (failure != null) {
                    throw new AssertionError(failure + "\n" + second.logTail());
                }
                return committedRows(reader, "ice_kill") >= produced;
            });
            second.rest().delete("ice-kill-sink");
        }
        Table table = reader.loadTable(TableIdentifier.of("eventlake", "ice_kill"));
        assertEquals(topic(topic), rowsByDuckDb(table));
        assertTrue(rewrites(table) > 0, "no compaction in the table's history");
    }

    /**
     * Tasks move between workers while records flow and four tasks commit to one table. Sequence: worker A runs the
     * table-mode sink (REST catalog, 4 tasks over 8 partitions, a batch every 500 records or second); rows are
     * committed; worker B joins and Connect moves sink tasks to it (their partitions are closed on A and opened on
     * B, which resume from the table's record); more rows are committed; worker A leaves, its tasks start on B. The
     * four tasks' appends race for the table all along (Iceberg retries them, and the offsets check runs again on
     * every retry), and so do the four tasks' compactions of the same table partitions (a rewrite whose files another
     * one replaced first is dropped). DuckDB over the current snapshot then finds every (partition, offset) of the
     * topic once, and the table's history holds rewrites.
     */
    @Test
    void tasksMovingBetweenWorkersLeaveEveryRecordOnceInTheTable() throws Exception {
        String topic = "ice-move";
        stack.createTopic(topic, 8);
        Catalog reader = stack.catalog().catalog();
        Map<String, String> sink = tableSink(topic, restCatalog());
        sink.put("tasks.max", "4");
        sink.put("flush.size", "500");
        sink.put("rotate.wallclock.interval.ms", "1000");
        try (SinkHarness.Producer producer = new SinkHarness.Producer(stack, topic, 8).startFlow(1500)) {
            stack.connect().putConfig(topic + "-sink", sink);
            SinkHarness.await(120, "rows committed", () -> {
                SinkHarness.assertNoFailure(stack, topic + "-sink");
                return committedRows(reader, "ice_move") >= 2000;
            });
            io.eventlake.local.stack.EmbeddedConnect first = stack.workers().get(0);
            io.eventlake.local.stack.EmbeddedConnect second = stack.addWorker();
            String secondId = second.restUrl().replace("http://", "");
            SinkHarness.await(180, "a sink task on the new worker", () -> stack.connect().isRunning(topic + "-sink", 4)
                && tasksOn(topic + "-sink").contains(secondId));
            long before = committedRows(reader, "ice_move");
            SinkHarness.await(120, "more rows committed", () -> {
                SinkHarness.assertNoFailure(stack, topic + "-sink");
                return committedRows(reader, "ice_move") >= before + 2000;
            });
            stack.stopWorker(first);
            SinkHarness.await(180, "every task on the remaining worker", () ->
                stack.connect().isRunning(topic + "-sink", 4) && tasksOn(topic + "-sink").equals(
                    java.util.Set.of(secondId)));
            long after = committedRows(reader, "ice_move");
            SinkHarness.await(120, "rows committed after the move", () -> {
                SinkHarness.assertNoFailure(stack, topic + "-sink");
                return committedRows(reader, "ice_move") >= after + 1000;
            });
        }
        long produced = Topics.readAll(stack.bootstrapServers(), topic).size();
        SinkHarness.await(180, "every record committed", () -> {
            SinkHarness.assertNoFailure(stack, topic + "-sink");
            return committedRows(reader, "ice_move") >= produced;
        });
        stack.connect().delete(topic + "-sink");
        Table table = reader.loadTable(TableIdentifier.of("eventlake", "ice_move"));
        assertEquals(topic(topic), rowsByDuckDb(table));
        assertTrue(rewrites(table) > 0, "no compaction in the table's history");
    }

    private static java.util.Set<String> tasksOn(String connector) throws Exception {
        java.util.Set<String> workers = new java.util.TreeSet<>();
        com.fasterxml.jackson.databind.JsonNode status = stack.connect().status(connector);
        if (status != null) {
            status.path("tasks").forEach(t -> workers.add(t.path("worker_id").asText()));
        }
        return workers;
    }

    private static Map<String, String> worker(Path plugins) throws Exception {
        Map<String, String> w = ForkedWorker.inGroup(stack, plugins, "it-ice-kill");
        // Connect commits consumer offsets rarely here: the second worker's tasks resume from the table's record.
        w.put("offset.flush.interval.ms", "60000");
        return w;
    }
}
