package io.eventlake.connect.sink.s3.iceberg;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.TypeUtil;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.FencedException;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.StorageException;
import io.eventlake.connect.sink.s3.writer.TableMode;

/**
 * Table mode: one Iceberg table per topic, through any Iceberg {@link Catalog}. The sink writes its Parquet files as
 * in bare mode (with the table's field ids) and registers them with one append per table and commit round, carrying
 * the next offset of every Kafka partition it covers in the snapshot summary ({@link TableOffsets}). The table is
 * the only record of what landed: a task resumes from it, and a commit whose partitions' recorded offsets are not
 * the ones the task last saw is refused ({@link GuardedOperations}), so a zombie or a replay never appends twice.
 * Concurrent commits of a task's partitions to one table are grouped into one snapshot; commits of other tasks are
 * merged by Iceberg's optimistic retries.
 */
public final class IcebergTables implements TableMode, Closeable {

    private static final Logger log = LoggerFactory.getLogger(IcebergTables.class);
    /** The committer when no commit pool is set: commits run on the thread that queued them. */
    private static final Executor ON_CALLER = Runnable::run;

    private final Catalog catalog;
    private final Namespace namespace;
    private final String nameTemplate;
    private final String connector;
    private final String bucket;
    private final String topicsDir;
    private final TablePartitioning partitioning;
    private final String recordTimestampColumn;
    private final Map<String, TableState> tables = new ConcurrentHashMap<>();
    /** Partitions this task was assigned (a revoked one may stay: reading its record again costs only time). */
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    /** Topics the write loop met whose table did not exist then (until this task creates it). */
    private final Set<String> absent = ConcurrentHashMap.newKeySet();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private volatile long snapshotMaxAgeMs;
    private volatile long expiryIntervalMs;
    private volatile Executor committer = ON_CALLER;
    /** With a commit pool: how long a committer waits for more batches before its first commit. */
    private volatile long lingerMs;
    private volatile TableCompaction compaction;
    private volatile long compactionIntervalMs;
    private java.util.concurrent.ExecutorService compactor;
    private final AtomicLong rewrites = new AtomicLong();
    private final AtomicLong filesMerged = new AtomicLong();
    private final AtomicLong compactionRaces = new AtomicLong();

    public IcebergTables(Catalog catalog, Namespace namespace, String nameTemplate, String connector, String bucket,
                         String topicsDir, TablePartitioning partitioning, String recordTimestampColumn) {
        this.catalog = catalog;
        this.namespace = namespace;
        this.nameTemplate = nameTemplate;
        this.connector = connector;
        this.bucket = bucket;
        this.topicsDir = topicsDir;
        this.partitioning = partitioning;
        this.recordTimestampColumn = recordTimestampColumn;
    }

    /** The table of a topic: the name template with {@code {topic}} replaced, other characters than [A-Za-z0-9_] as _. */
    public TableIdentifier tableOf(String topic) {
        return TableIdentifier.of(namespace, tableName(nameTemplate, topic));
    }

    static String tableName(String template, String topic) {
        return template.replace("{topic}", topic).replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * Turns on snapshot expiry: after a commit, at most every {@code intervalMs} per table, snapshots older than
     * {@code maxAgeMs} are expired (the newest is always kept). 0 turns it off.
     */
    public IcebergTables expireSnapshots(long maxAgeMs, long intervalMs) {
        this.snapshotMaxAgeMs = maxAgeMs;
        this.expiryIntervalMs = intervalMs;
        return this;
    }

    /**
     * Turns on compaction: after a commit, at most every {@code intervalMs} per table, a background thread merges
     * each table partition's small files ({@link TableCompaction}). Null turns it off.
     */
    public synchronized IcebergTables compactWith(TableCompaction merger, long intervalMs) {
        this.compaction = merger;
        this.compactionIntervalMs = intervalMs;
        if (merger != null && compactor == null) {
            compactor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "eventlake-compaction");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    /** Rewrite commits this task made (each merged a partition's small files). */
    public long rewrites() {
        return rewrites.get();
    }

    /** Files this task's rewrites replaced. */
    public long filesMerged() {
        return filesMerged.get();
    }

    /** Where the tables' committers run (the task's commit pool); by default on the thread that queued a commit. */
    public IcebergTables committingOn(Executor executor) {
        this.committer = executor;
        return this;
    }

    /**
     * A table's committer, started by a batch on the commit pool, first waits {@code ms} for the batches of the
     * task's other partitions (sealed together, uploaded a moment apart) to join the same snapshot. 0: at once.
     */
    public IcebergTables lingerFor(long ms) {
        this.lingerMs = ms;
        return this;
    }

    /** Snapshots this task expired. */
    public long expired() {
        return expired.get();
    }

    /** Commits that lost a race with another writer and were retried by Iceberg. */
    public long conflicts() {
        return conflicts.get();
    }

    public long commits() {
        return commits.get();
    }

    private final class TableState {
        final String topic;
        final TableIdentifier id;
        final GuardedOperations ops;
        final Table table;
        final PartitionSpec spec;
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
        final Object commitLock = new Object();
        /** Guards {@link #committing}; never held during a commit, so queuing a batch never waits for one. */
        final Object committerLock = new Object();
        /** A committer runs for this table (guarded by committerLock). */
        boolean committing;
        volatile Schema schema;
        long lastExpiryMs;
        /** Guarded by {@link #committerLock}: a compaction is queued or runs for this table; when the last began. */
        boolean compacting;
        long lastCompactionMs;

        TableState(String topic, TableIdentifier id, Table loaded) {
            this.topic = topic;
            this.id = id;
            this.ops = new GuardedOperations(((HasTableOperations) loaded).operations(), conflicts);
            this.table = new BaseTable(ops, loaded.name());
            this.spec = table.spec();
            this.schema = table.schema();
        }
    }

    /** What a file's commit needs: its table and partition. */
    record FileTag(TableState table, PartitionData partition) {
    }

    private record Request(TopicPartition tp, long expected, long next, List<DataFile> files,
                           CompletableFuture<Void> done) {
    }

    /** Thrown inside a commit attempt whose base does not hold the offsets the requests expect. */
    private static final class Refused extends RuntimeException
        implements org.apache.iceberg.exceptions.CleanableFailure {
        private static final long serialVersionUID = 1L;
        final transient List<Request> refused;
        final transient Map<TopicPartition, Long> recorded;

        Refused(List<Request> refused, Map<TopicPartition, Long> recorded) {
            super("offsets moved", null, false, false);
            this.refused = refused;
            this.recorded = recorded;
        }
    }

    // ---- schemas (write loop, once per record schema) ----

    /**
     * Creates the topic's table from a file schema, or adds the file's new columns to it, and returns the file
     * schema with the table's field ids. A change the table cannot take is a {@link DataException} (the record goes
     * to the dead letter queue with the reason).
     */
    public MessageType schemaFor(String topic, MessageType fileSchema) {
        Schema wanted = IcebergSchemas.toIceberg(fileSchema);
        TableState st = tables.get(topic);
        if (st == null) {
            st = loadOrCreate(topic, wanted);
        }
        for (int attempt = 1; !covers(st.schema, wanted); attempt++) {
            try {
                st.table.updateSchema().unionByNameWith(wanted).commit();
                log.info("Table {}: schema updated to {} columns", st.id, st.table.schema().columns().size());
            } catch (CommitFailedException e) {
                if (attempt >= 5) {
                    throw new ConnectException("table " + st.id + ": its schema keeps changing under this task", e);
                }
            } catch (IllegalArgumentException | org.apache.iceberg.exceptions.ValidationException e) {
                throw new DataException("table " + st.id + " cannot take its schema: " + e.getMessage(), e);
            }
            st.table.refresh();
            st.schema = st.table.schema();
        }
        return IcebergSchemas.withIds(fileSchema, st.schema);
    }

    /** Whether every column of {@code wanted} is in {@code table} with the same type. */
    private static boolean covers(Schema table, Schema wanted) {
        for (String name : TypeUtil.indexByName(wanted.asStruct()).keySet()) {
            org.apache.iceberg.types.Types.NestedField have = table.findField(name);
            org.apache.iceberg.types.Types.NestedField want = wanted.findField(name);
            if (have == null || !have.type().isNestedType() && !have.type().equals(want.type())
                && !widens(have.type(), want.type())) {
                return false;
            }
        }
        return true;
    }

    /** A table column of {@code have} reads files of {@code want} (long for int, double for float). */
    private static boolean widens(org.apache.iceberg.types.Type have, org.apache.iceberg.types.Type want) {
        return have.typeId() == org.apache.iceberg.types.Type.TypeID.LONG
            && want.typeId() == org.apache.iceberg.types.Type.TypeID.INTEGER
            || have.typeId() == org.apache.iceberg.types.Type.TypeID.DOUBLE
            && want.typeId() == org.apache.iceberg.types.Type.TypeID.FLOAT;
    }

    private synchronized TableState loadOrCreate(String topic, Schema schema) {
        TableState existing = tables.get(topic);
        if (existing != null) {
            return existing;
        }
        TableIdentifier id = tableOf(topic);
        Table table;
        try {
            table = catalog.loadTable(id);
        } catch (NoSuchTableException absent) {
            createNamespace();
            Map<String, String> props = new HashMap<>();
            props.put(TableProperties.FORMAT_VERSION, "2");
            props.put(TableProperties.WRITE_DATA_LOCATION, "s3://" + bucket + "/" + topicsDir + "/" + topic);
            props.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
            PartitionSpec spec = partitioning.spec(schema);
            try {
                table = catalog.createTable(id, schema, spec, props);
                log.info("Created table {} partitioned by {}", id, spec.fields());
            } catch (AlreadyExistsException raced) {
                table = catalog.loadTable(id);
            }
        }
        TableState st = withRecord(new TableState(topic, id, table));
        checkSpec(st);
        tables.put(topic, st);
        absent.remove(topic);
        return st;
    }

    /** The files are grouped by the lake's folders: the table must be partitioned the same way. */
    private void checkSpec(TableState st) {
        PartitionSpec ours = partitioning.spec(st.schema);
        List<String> want = new ArrayList<>();
        ours.fields().forEach(f -> want.add(ours.schema().findColumnName(f.sourceId()) + ":" + f.transform()));
        List<String> have = new ArrayList<>();
        st.spec.fields().forEach(f -> have.add(st.schema.findColumnName(f.sourceId()) + ":" + f.transform()));
        if (!want.equals(have)) {
            throw new ConnectException("table " + st.id + " is partitioned by " + have + " but this sink's layout "
                + "(partition.fields, partition.time.*) gives " + want + "; align them or use another table");
        }
    }

    /** The table with what it records of the partitions assigned so far (read once, when the task meets it). */
    private TableState withRecord(TableState st) {
        st.committed.putAll(TableOffsets.committed(st.ops.current(), connector, assigned));
        return st;
    }

    private void createNamespace() {
        if (catalog instanceof SupportsNamespaces ns && !namespace.isEmpty() && !ns.namespaceExists(namespace)) {
            try {
                ns.createNamespace(namespace);
            } catch (AlreadyExistsException raced) {
                // Another task made it.
            }
        }
    }

    private TableState loadIfExists(String topic) {
        TableState st = tables.get(topic);
        if (st != null) {
            return st;
        }
        try {
            Table table = catalog.loadTable(tableOf(topic));
            synchronized (this) {
                // A table met after the open (a routing transform's): what it records of the assigned partitions
                // counts from now on, so its records are skipped and its next commit expects the right offsets.
                return tables.computeIfAbsent(topic, t -> withRecord(new TableState(t, tableOf(t), table)));
            }
        } catch (NoSuchTableException notYet) {
            return null;
        }
    }

    // ---- partitions (task thread) ----

    @Override
    public Map<TopicPartition, Lease> open(Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
        absent.clear();
        Set<String> topics = new HashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        topics.forEach(this::loadIfExists);
        for (TableState st : tables.values()) {
            TableMetadata current = st.ops.refresh();
            partitions.forEach(st.committed::remove);
            st.committed.putAll(TableOffsets.committed(current, connector, partitions));
        }
        Map<TopicPartition, Lease> leases = new LinkedHashMap<>();
        long epoch = ThreadLocalRandom.current().nextLong(1, 1_000_000_000_000L);
        for (TopicPartition tp : partitions) {
            long next = -1;
            for (TableState st : tables.values()) {
                Long c = st.committed.get(tp);
                if (c != null) {
                    next = next < 0 ? c : Math.min(next, c);
                }
            }
            leases.put(tp, new TableLease(tp, epoch, next));
        }
        return leases;
    }

    @Override
    public boolean landed(String topic, TopicPartition tp, long offset) {
        TableState st = tables.get(topic);
        if (st == null && !absent.contains(topic)) {
            // The first record for a table this task has not met (a routed topic): the table may hold records of
            // this partition from an earlier run.
            st = loadIfExists(topic);
            if (st == null) {
                absent.add(topic);
            }
        }
        Long c = st == null ? null : st.committed.get(tp);
        return c != null && offset < c;
    }

    @Override
    public Object fileTag(String topic, SinkRecord record, Struct value) {
        TableState st = tables.get(topic);
        if (st == null) {
            throw new IllegalStateException("no table for topic " + topic + " (its schema was not resolved)");
        }
        return new FileTag(st, TablePartitioning.partitionOf(st.spec, st.schema, record, value,
            recordTimestampColumn));
    }

    /** A partition's lease in table mode: no checkpoint, the tables are the record. */
    private final class TableLease implements Lease {
        private final TopicPartition tp;
        private final long epoch;
        private final long next;

        TableLease(TopicPartition tp, long epoch, long next) {
            this.tp = tp;
            this.epoch = epoch;
            this.next = next;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public OptionalLong next() {
            return next >= 0 ? OptionalLong.of(next) : OptionalLong.empty();
        }

        @Override
        public List<String> abandonedByPreviousOwner() {
            return List.of();
        }

        @Override
        public void intend(List<String> keys) {
            // File names are unique to this owner (epoch); files of a failed commit are referenced by no snapshot.
        }

        @Override
        public void commit(long nextOffset, List<ParquetFile> files) {
            IcebergTables.this.commit(tp, nextOffset, files);
        }

        @Override
        public CompletableFuture<Void> commitAsync(long nextOffset, List<ParquetFile> files) {
            return IcebergTables.this.commitAsync(tp, nextOffset, files);
        }
    }

    // ---- commits (commit pool) ----

    void commit(TopicPartition tp, long next, List<ParquetFile> files) {
        try {
            commitAsync(tp, next, files).join();
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException re ? re : new ConnectException(failed.getCause());
        }
    }

    /**
     * Queues the batch's files for its tables' next commits (one table after another, when a batch spans several)
     * and returns at once: the table's committer appends every batch queued meanwhile in one snapshot, so the number
     * of batches per snapshot is not bounded by the threads waiting for commits.
     */
    CompletableFuture<Void> commitAsync(TopicPartition tp, long next, List<ParquetFile> files) {
        Map<TableState, List<DataFile>> byTable = new LinkedHashMap<>();
        for (ParquetFile f : files) {
            FileTag tag = (FileTag) Objects.requireNonNull(f.tag(), "untagged file " + f.key());
            byTable.computeIfAbsent(tag.table(), t -> new ArrayList<>()).add(dataFile(tag, f));
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Map.Entry<TableState, List<DataFile>> e : byTable.entrySet()) {
            TableState st = e.getKey();
            chain = chain.thenCompose(done -> {
                Long expected = st.committed.get(tp);
                Request r = new Request(tp, expected == null ? -1 : expected, next, e.getValue(),
                    new CompletableFuture<>());
                st.queue.add(r);
                scheduleCommit(st);
                return r.done();
            }).thenRun(() -> {
                st.committed.put(tp, next);
                maybeExpire(st);
                maybeCompact(st);
            });
        }
        return chain;
    }

    /**
     * Starts the table's committer on the commit pool unless it runs already: it commits what is queued, then again
     * while more was queued meanwhile. A request queued before this call is seen by the committer it starts or by
     * the running one's next look at the queue (both under the committer lock).
     */
    private void scheduleCommit(TableState st) {
        synchronized (st.committerLock) {
            if (st.committing) {
                return;
            }
            st.committing = true;
        }
        Runnable run = () -> {
            while (true) {
                List<Runnable> completions;
                synchronized (st.commitLock) {
                    completions = commitQueued(st);
                }
                for (Runnable c : completions) {
                    try {
                        c.run();
                    } catch (RuntimeException e) {
                        log.warn("Table {}: a step after a commit failed: {}", st.id, e.toString(), e);
                    }
                }
                synchronized (st.committerLock) {
                    if (st.queue.isEmpty()) {
                        st.committing = false;
                        return;
                    }
                }
            }
        };
        Executor pool = committer;
        long linger = lingerMs;
        if (linger > 0 && pool != ON_CALLER) {
            // The batches sealed with this one are still uploading: let them join its snapshot. After the delay the
            // JDK's common pool only hands the committer to the commit pool, which runs it.
            CompletableFuture.delayedExecutor(linger, TimeUnit.MILLISECONDS).execute(() -> {
                try {
                    pool.execute(run);
                } catch (RejectedExecutionException stopping) {
                    stopped(st, stopping);
                }
            });
            return;
        }
        try {
            pool.execute(run);
        } catch (RejectedExecutionException stopping) {
            // The task is stopping (its commit pool shut down): nothing commits any more, and nothing waits for it.
            synchronized (st.committerLock) {
                st.committing = false;
            }
            throw stopping;
        }
    }

    /** The commit pool shut down while a committer waited to start: its queued batches will not commit. */
    private void stopped(TableState st, RejectedExecutionException stopping) {
        synchronized (st.committerLock) {
            st.committing = false;
        }
        ConnectException notCommitted = new ConnectException("table " + st.id + ": the task stopped before this "
            + "batch's commit", stopping);
        for (Request r; (r = st.queue.poll()) != null; ) {
            r.done().completeExceptionally(notCommitted);
        }
    }

    /**
     * Expires old snapshots without losing any partition's record: offsets recorded only in snapshots about to
     * expire are first carried into a new snapshot (an append of no files, whose check requires that each carried
     * offset is still the table's), then the old snapshots go. Best effort: a failure is logged and tried again
     * at the next interval.
     */
    private void maybeExpire(TableState st) {
        long maxAge = snapshotMaxAgeMs;
        long now = System.currentTimeMillis();
        if (maxAge <= 0) {
            return;
        }
        synchronized (st.commitLock) {
            if (now - st.lastExpiryMs < expiryIntervalMs) {
                return;
            }
            st.lastExpiryMs = now;
            long cutoff = now - maxAge;
            try {
                TableMetadata current = st.ops.refresh();
                Map<TopicPartition, TableOffsets.Recorded> recorded = TableOffsets.all(current, connector);
                Map<TopicPartition, Long> carry = new HashMap<>();
                recorded.forEach((tp, r) -> {
                    if (r.timestampMs() < cutoff) {
                        carry.put(tp, r.next());
                    }
                });
                if (!carry.isEmpty()) {
                    AppendFiles append = st.table.newAppend();
                    append.set(TableOffsets.key(connector), TableOffsets.encode(carry));
                    st.ops.guard(base -> {
                        Map<TopicPartition, Long> now2 = TableOffsets.committed(base, connector, carry.keySet());
                        if (!now2.equals(carry)) {
                            throw new Refused(List.of(), now2);
                        }
                    });
                    try {
                        append.commit();
                    } finally {
                        st.ops.guard(null);
                    }
                }
                int before = st.ops.refresh().snapshots().size();
                st.table.expireSnapshots().expireOlderThan(cutoff).retainLast(1).commit();
                int gone = before - st.ops.refresh().snapshots().size();
                expired.addAndGet(Math.max(0, gone));
                log.debug("Table {}: expired {} snapshot(s) older than {} ms, carried {} partition record(s)", st.id,
                    gone, maxAge, carry.size());
            } catch (Refused moved) {
                log.debug("Table {}: a partition moved while expiring; trying again later", st.id);
                st.lastExpiryMs = 0;
            } catch (RuntimeException e) {
                log.warn("Table {}: cannot expire snapshots now ({}); trying again in {} ms", st.id, e.getMessage(),
                    expiryIntervalMs);
            }
        }
    }

    /**
     * Queues a compaction of the table on the background thread unless one is queued or ran within the interval.
     * It works on its own copy of the table (the committer's operations carry the offset check of its appends), and
     * a failure is logged and tried again at the next interval: compaction never fails the task.
     */
    private void maybeCompact(TableState st) {
        TableCompaction merger = compaction;
        if (merger == null) {
            return;
        }
        long now = System.currentTimeMillis();
        synchronized (st.committerLock) {
            if (st.compacting || now - st.lastCompactionMs < compactionIntervalMs) {
                return;
            }
            st.compacting = true;
            st.lastCompactionMs = now;
        }
        try {
            compactor.execute(() -> {
                try {
                    TableCompaction.Result r = merger.compact(catalog.loadTable(st.id));
                    rewrites.addAndGet(r.rewrites());
                    filesMerged.addAndGet(r.filesMerged());
                    compactionRaces.addAndGet(r.lostRaces());
                    if (r.rewrites() > 0 || r.lostRaces() > 0) {
                        log.debug("Table {}: {} rewrite(s) merged {} small file(s); {} lost a race", st.id,
                            r.rewrites(), r.filesMerged(), r.lostRaces());
                    }
                } catch (RuntimeException e) {
                    log.warn("Table {}: cannot compact now ({}); trying again in {} ms", st.id, e.toString(),
                        compactionIntervalMs);
                } finally {
                    synchronized (st.committerLock) {
                        st.compacting = false;
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            synchronized (st.committerLock) {
                st.compacting = false;
            }
        }
    }

    private DataFile dataFile(FileTag tag, ParquetFile f) {
        return DataFileMetrics.dataFile(tag.table().spec, tag.table().schema, "s3://" + bucket + "/" + f.key(),
            f.bytes().length(), f.footer(), tag.partition());
    }

    /**
     * Commits every queued request of the table in one snapshot; refused requests are taken out and fenced. Returns
     * the completions of the requests' futures, for the caller to run once it holds no lock: what follows a commit
     * (the next table of a batch, the writer's pipeline) must not run inside this table's lock.
     */
    private List<Runnable> commitQueued(TableState st) {
        List<Request> group = new ArrayList<>();
        for (Request r; (r = st.queue.poll()) != null; ) {
            group.add(r);
        }
        List<Runnable> completions = new ArrayList<>();
        while (!group.isEmpty()) {
            try {
                appendAll(st, group);
                group.forEach(r -> completions.add(() -> r.done().complete(null)));
                return completions;
            } catch (Refused e) {
                for (Request r : e.refused) {
                    FencedException fenced = new FencedException(r.tp() + ": table " + st.id + " records "
                        + "offset " + e.recorded.get(r.tp()) + " for this partition, not " + r.expected() + " as "
                        + "this task last saw: another task committed it meanwhile (this one is a zombie); its "
                        + r.files().size() + " file(s) are not added");
                    completions.add(() -> r.done().completeExceptionally(fenced));
                }
                group.removeAll(e.refused);
            } catch (CommitStateUnknownException e) {
                // The files may be in the table: never delete them, never commit them again. A restart resumes from
                // what the table says.
                StorageException unknown = new StorageException("table " + st.id + ": the catalog did not say "
                    + "whether the commit of " + group.size() + " partition batch(es) went through; the task stops "
                    + "and resumes from the table's record", e);
                group.forEach(r -> completions.add(() -> r.done().completeExceptionally(unknown)));
                return completions;
            } catch (RuntimeException e) {
                RetriableException again = new RetriableException("table " + st.id + ": commit failed: "
                    + e.getMessage(), e);
                group.forEach(r -> completions.add(() -> r.done().completeExceptionally(again)));
                return completions;
            }
        }
        return completions;
    }

    private void appendAll(TableState st, List<Request> group) {
        AppendFiles append = st.table.newAppend();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Set<TopicPartition> tps = new HashSet<>();
        for (Request r : group) {
            r.files().forEach(append::appendFile);
            offsets.put(r.tp(), r.next());
            tps.add(r.tp());
        }
        append.set(TableOffsets.key(connector), TableOffsets.encode(offsets));
        st.ops.guard(base -> {
            Map<TopicPartition, Long> recorded = TableOffsets.committed(base, connector, tps);
            List<Request> refused = new ArrayList<>();
            for (Request r : group) {
                Long have = recorded.get(r.tp());
                // No record at all (a new table, or snapshots expired since): nothing to contradict.
                if (have != null && have != r.expected()) {
                    refused.add(r);
                }
            }
            if (!refused.isEmpty()) {
                throw new Refused(refused, recorded);
            }
        });
        try {
            append.commit();
            commits.incrementAndGet();
        } finally {
            st.ops.guard(null);
        }
    }

    @Override
    public void close() {
        java.util.concurrent.ExecutorService c0 = compactor;
        if (c0 != null) {
            c0.shutdownNow();
            try {
                c0.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Iceberg tables: {} commit(s), {} conflict(s) retried, {} snapshot(s) expired, {} rewrite(s) "
            + "merged {} small file(s) ({} lost a race)", commits.get(), conflicts.get(), expired.get(),
            rewrites.get(), filesMerged.get(), compactionRaces.get());
        if (catalog instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                log.warn("cannot close the Iceberg catalog: {}", e.getMessage());
            }
        }
    }
}
