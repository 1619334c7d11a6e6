package io.eventlake.connect.sink.s3;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.config.S3ConnectionConfig;
import io.eventlake.connect.sink.s3.config.S3ParquetSinkConfig;
import io.eventlake.connect.sink.s3.config.TableConfig;
import io.eventlake.connect.sink.s3.iceberg.IcebergTables;
import io.eventlake.connect.sink.s3.iceberg.SinkFileIO;
import io.eventlake.connect.sink.s3.iceberg.TableCompaction;
import io.eventlake.connect.sink.s3.metrics.SinkMetrics;
import io.eventlake.connect.sink.s3.parquet.SpillDisk;
import io.eventlake.connect.sink.s3.schema.TableSchemas;
import io.eventlake.connect.sink.s3.storage.ConditionalWrites;
import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.S3ObjectStore;
import io.eventlake.connect.sink.s3.storage.S3Settings;
import io.eventlake.connect.sink.s3.writer.ErrantRecords;
import io.eventlake.connect.sink.s3.writer.FileNames;
import io.eventlake.connect.sink.s3.writer.MemoryBudget;
import io.eventlake.connect.sink.s3.writer.TaskWriter;
import io.eventlake.connect.sink.s3.writer.WriterMetrics;
import io.eventlake.connect.sink.s3.writer.WriterSettings;

/**
 * The S3 Parquet sink task: parses the config once, wires the writer, and hands each Connect callback to it.
 * Offsets returned from {@link #preCommit} are only those of data already in S3.
 */
public class S3ParquetSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(S3ParquetSinkTask.class);

    private final Function<S3Settings, ObjectStore> storeFactory;
    private final Time time;

    private ObjectStore store;
    private IcebergTables tables;
    private String fileIoId;
    private Map<String, ObjectStore> extraStores = Map.of();
    private TaskWriter writer;
    private SpillDisk spill = SpillDisk.none();
    private SinkMetrics metrics;

    public S3ParquetSinkTask() {
        this(settings -> {
            S3ObjectStore s3 = S3ObjectStore.create(settings);
            s3.checkBucket();
            return s3;
        }, Time.SYSTEM);
    }

    /** For tests: another store and clock. */
    S3ParquetSinkTask(Function<S3Settings, ObjectStore> storeFactory, Time time) {
        this.storeFactory = storeFactory;
        this.time = time;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        store = storeFactory.apply(config.s3());
        String probe = config.checkpointDir() + "/probes/" + java.util.UUID.randomUUID() + ".txt";
        if (!ConditionalWrites.honoured(store, probe)) {
            String server = config.s3().endpoint().isBlank() ? "AWS" : config.s3().endpoint();
            if (config.conditionalWritesRequired()) {
                store.close();
                throw new ConnectException("The S3 server at " + server + " ignores conditional writes (it "
                    + "accepted a repeated If-None-Match: * put or a wrong If-Match): a task that stalls after losing "
                    + "its partitions (a zombie) could overwrite its successor's checkpoint and land records twice. "
                    + "Use a server that honours them (AWS S3, MinIO), or set "
                    + S3ConnectionConfig.CONDITIONAL_WRITES + "=false to run without that guarantee.");
            }
            log.warn("The S3 server at {} ignores conditional writes (If-None-Match, If-Match): a task that stalls "
                + "after losing its partitions (a zombie) could overwrite its successor's checkpoint. Crashes are "
                + "still safe; see doc/exactly-once.md.", server);
        }
        int threads = config.uploadThreads();
        ExecutorService commitPool = Executors.newFixedThreadPool(threads, daemon("eventlake-commit"));
        ExecutorService uploadPool = Executors.newFixedThreadPool(threads, daemon("eventlake-upload"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("eventlake-rotation"));
        MemoryBudget budget = new MemoryBudget(config.memoryBudgetBytes());
        if (config.tableFormat() == TableConfig.Format.ICEBERG) {
            tables = openTables(config, props).committingOn(commitPool);
        }
        spill = SpillDisk.open(config.spillDir(), props.getOrDefault("name", "eventlake"), config.spillMaxBytes());
        WriterSettings settings = new WriterSettings(store, new FileNames(config.fileNameTemplate()),
            config.parquet(), config.rotation(), budget, spill, commitPool, uploadPool, tables);
        WriterMetrics writerMetrics = WriterMetrics.NONE;
        PluginMetrics pluginMetrics = pluginMetrics();
        if (pluginMetrics != null) {
            metrics = new SinkMetrics(pluginMetrics);
            writerMetrics = metrics;
        }
        writer = new TaskWriter(settings, commitPool, uploadPool, timer,
            new CheckpointStore(store, config.checkpointPrefix()),
            tableSchemas(config),
            config.partitioner(time::milliseconds), new ErrantRecords(errantRecordReporter(),
                "all".equals(props.get("errors.tolerance"))), context, time, writerMetrics, config.writerOptions(),
            config.topicsDir());
        if (metrics != null) {
            TaskWriter w = writer;
            metrics.gauges(w::openFiles, w::bufferedBytes, w::memoryHighWaterBytes, w::oldestUnflushedAgeMs);
            if (tables != null) {
                IcebergTables t = tables;
                metrics.tableGauges(t::commits, t::conflicts, t::rewrites, t::filesMerged, t::expired);
            }
        }
        log.info("S3 Parquet sink task started: bucket {}, folder {}, flush.size {}, wall-clock interval {} ms, "
            + "memory budget {} bytes, spill folder {} (at most {} bytes)", config.bucket(), config.topicsDir(),
            config.flushSize(), config.wallclockIntervalMs(), config.memoryBudgetBytes(),
            spill.enabled() ? spill.dir() : "off", spill.maxBytes());
    }

    private TableSchemas tableSchemas(S3ParquetSinkConfig config) {
        TableSchemas schemas = new TableSchemas(store, config.schemaPrefix(), config.compatibility(),
            config.metadataColumns(), config.metadataPrefix());
        return tables == null ? schemas : schemas.withTables(tables::schemaFor);
    }

    private IcebergTables openTables(S3ParquetSinkConfig config, Map<String, String> props) {
        Map<String, String> catalogProps = config.catalogProperties();
        Map<String, ObjectStore> byBucket = new java.util.concurrent.ConcurrentHashMap<>();
        byBucket.put(config.bucket(), store);
        fileIoId = SinkFileIO.register(bucket -> byBucket.computeIfAbsent(bucket, b -> {
            S3Settings s = config.s3();
            return storeFactory.apply(new S3Settings(b, s.region(), s.endpoint(), s.pathStyle(), s.credentials(),
                s.sse(), s.retry(), s.client()));
        }));
        extraStores = byBucket;
        catalogProps.put(SinkFileIO.STORE, fileIoId);
        Catalog catalog;
        try {
            catalog = CatalogUtil.buildIcebergCatalog(config.getString(TableConfig.CATALOG_NAME), catalogProps, null);
        } catch (RuntimeException e) {
            store.close();
            throw new ConnectException("cannot open the Iceberg catalog (" + TableConfig.CATALOG_TYPE + "="
                + catalogProps.getOrDefault("type", catalogProps.get("catalog-impl")) + ", "
                + TableConfig.CATALOG_URI + "=" + catalogProps.get("uri") + "): " + e.getMessage(), e);
        }
        String connector = props.getOrDefault("name", "eventlake");
        return new IcebergTables(catalog, Namespace.of(config.getString(TableConfig.NAMESPACE).split("\\.")),
            config.getString(TableConfig.TABLE_NAME), connector, config.bucket(), config.topicsDir(),
            config.tablePartitioning(), config.recordTimestampColumn()).expireSnapshots(
                config.getLong(TableConfig.SNAPSHOT_MAX_AGE), config.getLong(TableConfig.EXPIRY_INTERVAL))
            .compactWith(compaction(config), config.getLong(TableConfig.COMPACTION_INTERVAL))
            .lingerFor(config.getLong(TableConfig.COMMIT_LINGER));
    }

    private TableCompaction compaction(S3ParquetSinkConfig config) {
        int minFiles = config.getInt(TableConfig.COMPACTION_MIN_FILES);
        return minFiles <= 0 ? null : new TableCompaction(store, config.bucket(), config.parquet(), minFiles,
            config.getLong(TableConfig.COMPACTION_TARGET_BYTES));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    private PluginMetrics pluginMetrics() {
        try {
            return context == null ? null : context.pluginMetrics();
        } catch (NoSuchMethodError | AbstractMethodError | NoClassDefFoundError e) {
            // Workers before Kafka 4.1 have no plugin metrics.
            return null;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        writer.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        writer.put(records);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return writer.preCommit();
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        writer.close(partitions);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
        if (spill.enabled()) {
            log.info("Spill folder {}: at most {} bytes on disk, {} segments written", spill.dir(),
                spill.highWaterBytes(), spill.segmentsWritten());
        }
        spill.close();
        if (metrics != null) {
            metrics.close();
        }
        if (tables != null) {
            tables.close();
        }
        if (fileIoId != null) {
            SinkFileIO.unregister(fileIoId);
        }
        extraStores.values().stream().filter(s -> s != store).forEach(ObjectStore::close);
        if (store != null) {
            store.close();
        }
    }

    /** For tests. */
    SpillDisk spill() {
        return spill;
    }

    /** For tests. */
    TaskWriter writer() {
        return writer;
    }
}
