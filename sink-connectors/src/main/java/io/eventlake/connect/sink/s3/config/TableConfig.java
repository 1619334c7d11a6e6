package io.eventlake.connect.sink.s3.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The config fragment of table mode: Apache Iceberg tables instead of bare Parquet folders. */
public final class TableConfig {

    public static final String GROUP = "Tables";

    /** The lake's format. */
    public enum Format { PARQUET, ICEBERG }

    public static final String FORMAT = "table.format";
    public static final String CATALOG_PREFIX = "iceberg.catalog.";
    public static final String CATALOG_NAME = "iceberg.catalog";
    public static final String CATALOG_TYPE = CATALOG_PREFIX + "type";
    public static final String CATALOG_URI = CATALOG_PREFIX + "uri";
    public static final String CATALOG_WAREHOUSE = CATALOG_PREFIX + "warehouse";
    public static final String NAMESPACE = "iceberg.namespace";
    public static final String TABLE_NAME = "iceberg.table.name.template";
    public static final String SNAPSHOT_MAX_AGE = "iceberg.snapshot.max.age.ms";
    public static final String EXPIRY_INTERVAL = "iceberg.snapshot.expiry.interval.ms";
    public static final String COMPACTION_MIN_FILES = "iceberg.compaction.min.files";
    public static final String COMPACTION_TARGET_BYTES = "iceberg.compaction.target.file.bytes";
    public static final String COMPACTION_INTERVAL = "iceberg.compaction.interval.ms";
    public static final String COMMIT_LINGER = "iceberg.commit.linger.ms";

    private TableConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(FORMAT, Type.STRING, "parquet", new EnumValidator(Format.class), Importance.HIGH, "parquet: "
                + "bare Hive-partitioned Parquet files, committed through checkpoints in the bucket. iceberg: the same "
                + "files registered in Apache Iceberg tables (one per topic) through a catalog: readers see only "
                + "committed files, each commit is one atomic snapshot carrying the Kafka offsets it covers, and "
                + "schemas and partitions are the table's. Every other setting (layout, rotation, memory budget, "
                + "dead letter queue, metadata columns) works the same in both.", GROUP, ++order, Width.SHORT,
                "Table format")
            .define(CATALOG_TYPE, Type.STRING, "rest", Importance.HIGH, "With table.format=iceberg: the Iceberg "
                + "catalog, rest (Polaris, Gravitino, Unity, Nessie, S3 Tables, Glue's REST endpoint) or jdbc. Every "
                + "other " + CATALOG_PREFIX + "<property> is passed to the catalog as <property> (e.g. "
                + CATALOG_PREFIX + "credential, " + CATALOG_PREFIX + "jdbc.user, or " + CATALOG_PREFIX
                + "catalog-impl for another Catalog class). Table metadata is read and written with this connector's own "
                + "S3 client and its s3.* and aws.* settings.",
                GROUP, ++order, Width.SHORT, "Iceberg catalog type")
            .define(CATALOG_NAME, Type.STRING, "eventlake", new ConfigDef.NonEmptyString(), Importance.LOW,
                "With table.format=iceberg: the catalog's name. A JDBC catalog keys its tables by it, so readers "
                + "must open the catalog under the same name.", GROUP, ++order, Width.SHORT, "Iceberg catalog name")
            .define(CATALOG_URI, Type.STRING, "", Importance.HIGH, "With table.format=iceberg: the catalog's URI, "
                + "e.g. http://polaris:8181/api/catalog or jdbc:postgresql://db/iceberg.", GROUP, ++order,
                Width.LONG, "Iceberg catalog URI")
            .define(CATALOG_WAREHOUSE, Type.STRING, "", Importance.MEDIUM, "With table.format=iceberg: the "
                + "catalog's warehouse: a location such as s3://bucket/warehouse for jdbc, the catalog name for "
                + "most REST servers. New tables keep their data under topics.dir of this connector's bucket "
                + "(write.data.path), their metadata under the warehouse.", GROUP, ++order, Width.LONG,
                "Iceberg warehouse")
            .define(NAMESPACE, Type.STRING, "eventlake", Importance.MEDIUM, "With table.format=iceberg: the "
                + "namespace of the tables (dots separate levels); created when the catalog supports it.", GROUP,
                ++order, Width.SHORT, "Iceberg namespace")
            .define(TABLE_NAME, Type.STRING, "{topic}", Importance.MEDIUM, "With table.format=iceberg: the table "
                + "of a topic (the topic after any transform); {topic} is replaced, and characters other than "
                + "letters, digits and _ become _.", GROUP, ++order, Width.SHORT, "Iceberg table name")
            .define(SNAPSHOT_MAX_AGE, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, "With "
                + "table.format=iceberg: the sink expires its tables' snapshots older than this (the newest is always "
                + "kept), after first carrying the Kafka offsets recorded only in them into a new snapshot, so a task "
                + "still resumes exactly. 0 leaves expiry to you (Iceberg's expire_snapshots), and then a partition "
                + "idle for longer than what you keep loses its record.", GROUP, ++order, Width.SHORT,
                "Snapshot max age (ms)")
            .define(EXPIRY_INTERVAL, Type.LONG, 600_000L, ConfigDef.Range.atLeast(0), Importance.LOW, "With "
                + "iceberg.snapshot.max.age.ms set: how often each task expires a table's snapshots, at most.",
                GROUP, ++order, Width.SHORT, "Snapshot expiry interval (ms)")
            .define(COMPACTION_MIN_FILES, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM, "With "
                + "table.format=iceberg: a table partition with at least this many small files (below three quarters "
                + "of " + COMPACTION_TARGET_BYTES + ") gets them merged into one by a rewrite commit, on a background "
                + "thread of each task. The rewrite replaces files by a file of exactly their rows and is validated "
                + "against the snapshot it was planned on, so it stays exactly once beside the sink's appends and "
                + "anyone else's maintenance (a rewrite that loses a race is dropped). Its heap is outside "
                + "memory.budget.bytes: one input file, a row group and one upload part. 0 (the default) leaves "
                + "compaction to you (Iceberg's rewrite_data_files).", GROUP, ++order, Width.SHORT,
                "Compaction: min small files")
            .define(COMPACTION_TARGET_BYTES, Type.LONG, 64L * 1024 * 1024, ConfigDef.Range.atLeast(1024),
                Importance.LOW, "With " + COMPACTION_MIN_FILES + " set: the size a merge aims at; it takes a "
                    + "partition's small files, smallest first, up to this many bytes.", GROUP, ++order,
                Width.SHORT, "Compaction target file size (bytes)")
            .define(COMPACTION_INTERVAL, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW, "With "
                + COMPACTION_MIN_FILES + " set: how often each task looks for a table's small files, at most "
                + "(after a commit to the table).", GROUP, ++order, Width.SHORT, "Compaction interval (ms)")
            .define(COMMIT_LINGER, Type.LONG, 250L, ConfigDef.Range.between(0, 60_000), Importance.LOW, "How long a "
                + "table's committer waits, once a batch of this task is ready for it, for the batches of the task's "
                + "other partitions to join it in one snapshot: the wall clock seals them together and their uploads "
                + "finish a moment apart. It adds that much to the time until the rows are visible, once per commit. "
                + "0 commits the first batch at once (two or three snapshots per interval with a few partitions).",
                GROUP, ++order, Width.SHORT, "Commit linger (ms)");
    }
}
