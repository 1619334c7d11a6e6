package io.eventlake.connect.sink.s3.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import io.eventlake.connect.sink.s3.parquet.MetadataColumn;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.partition.Partitioner;
import io.eventlake.connect.sink.s3.rotation.RotationPolicy;
import io.eventlake.connect.sink.s3.schema.Compatibility;
import io.eventlake.connect.sink.s3.storage.S3Settings;
import io.eventlake.connect.sink.s3.writer.TaskWriter;

/**
 * The S3 Parquet sink's configuration, assembled from small fragments (S3, layout, rotation, Parquet, records),
 * parsed once per task into the objects the sink works with.
 */
public final class S3ParquetSinkConfig extends AbstractConfig {

    public static final ConfigDef CONFIG_DEF = TableConfig.define(WriterConfig.define(ParquetConfig.define(
        RotationConfig.define(LayoutConfig.define(S3ConnectionConfig.define(new ConfigDef()))))));

    public S3ParquetSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        S3ConnectionConfig.validateClientKeys(originalsWithPrefix(S3ConnectionConfig.CLIENT_PREFIX));
        crossCheck();
    }

    /** Rules across keys; each names the key to fix. */
    private void crossCheck() {
        String mode = getString(S3ConnectionConfig.CREDENTIALS).toLowerCase(Locale.ROOT);
        if ("static".equals(mode) && getString(S3ConnectionConfig.ACCESS_KEY_ID).isBlank()) {
            throw new ConfigException(S3ConnectionConfig.ACCESS_KEY_ID, "", "is needed with "
                + S3ConnectionConfig.CREDENTIALS + "=static");
        }
        if (!getString(S3ConnectionConfig.ACCESS_KEY_ID).isBlank()
            && getPassword(S3ConnectionConfig.SECRET_ACCESS_KEY).value().isEmpty()) {
            throw new ConfigException(S3ConnectionConfig.SECRET_ACCESS_KEY, "[hidden]", "is needed with "
                + S3ConnectionConfig.ACCESS_KEY_ID);
        }
        if ("assume-role".equals(mode) && getString(S3ConnectionConfig.ROLE_ARN).isBlank()) {
            throw new ConfigException(S3ConnectionConfig.ROLE_ARN, "", "is needed with "
                + S3ConnectionConfig.CREDENTIALS + "=assume-role");
        }
        if (!getString(S3ConnectionConfig.SSE_KMS_KEY).isBlank()
            && !"aws:kms".equalsIgnoreCase(getString(S3ConnectionConfig.SSE))) {
            throw new ConfigException(S3ConnectionConfig.SSE_KMS_KEY, getString(S3ConnectionConfig.SSE_KMS_KEY),
                "is only used with " + S3ConnectionConfig.SSE + "=aws:kms");
        }
        if (timeSource() == Partitioner.TimeSource.FIELD && timestampField().isEmpty()) {
            throw new ConfigException(LayoutConfig.TIMESTAMP_FIELD, "", "is needed with "
                + LayoutConfig.TIME_SOURCE + "=field (or choose record or wallclock)");
        }
        if (getLong(S3ConnectionConfig.RETRY_BACKOFF) > getLong(S3ConnectionConfig.RETRY_BACKOFF_MAX)) {
            throw new ConfigException(S3ConnectionConfig.RETRY_BACKOFF, getLong(S3ConnectionConfig.RETRY_BACKOFF),
                "must not exceed " + S3ConnectionConfig.RETRY_BACKOFF_MAX);
        }
        if (getLong(WriterConfig.COMMIT_BACKOFF) > getLong(WriterConfig.COMMIT_BACKOFF_MAX)) {
            throw new ConfigException(WriterConfig.COMMIT_BACKOFF, getLong(WriterConfig.COMMIT_BACKOFF),
                "must not exceed " + WriterConfig.COMMIT_BACKOFF_MAX);
        }
        LayoutConfig.fieldPartitions(getList(LayoutConfig.PARTITION_FIELDS));
        if (tableFormat() == TableConfig.Format.ICEBERG) {
            tableChecks();
        }
        int partBytes = getInt(S3ConnectionConfig.PART_BYTES);
        if (memoryBudgetBytes() < 2L * partBytes) {
            throw new ConfigException(WriterConfig.MEMORY_BUDGET, memoryBudgetBytes(), "must hold at least two "
                + "upload parts (" + S3ConnectionConfig.PART_BYTES + " = " + partBytes + ")");
        }
    }

    /** Table mode: every file holds one partition of the table's spec, so folders must follow its transforms. */
    private void tableChecks() {
        String type = getString(TableConfig.CATALOG_TYPE).trim();
        if (type.isEmpty() && !originals().containsKey(TableConfig.CATALOG_PREFIX + "catalog-impl")) {
            throw new ConfigException(TableConfig.CATALOG_TYPE, type, "is needed with " + TableConfig.FORMAT
                + "=iceberg (rest or jdbc), unless " + TableConfig.CATALOG_PREFIX + "catalog-impl names a class");
        }
        if (!getString(LayoutConfig.PATH_FORMAT).isBlank()) {
            throw new ConfigException(LayoutConfig.PATH_FORMAT, getString(LayoutConfig.PATH_FORMAT), "must be empty "
                + "with " + TableConfig.FORMAT + "=iceberg: the table's time partition follows "
                + LayoutConfig.GRANULARITY);
        }
        if (!"UTC".equals(timezone().normalized().getId()) && !"Z".equals(timezone().normalized().getId())) {
            throw new ConfigException(LayoutConfig.TIMEZONE, timezone().getId(), "must be UTC with "
                + TableConfig.FORMAT + "=iceberg: Iceberg's hour and day partitions are UTC");
        }
        if (writerOptions().latePolicy() == TaskWriter.LatePolicy.ARRIVAL) {
            throw new ConfigException(LayoutConfig.LATE_POLICY, getString(LayoutConfig.LATE_POLICY), "must be "
                + "event_time with " + TableConfig.FORMAT + "=iceberg: a table partition holds exactly the rows "
                + "of its time range");
        }
    }

    public TableConfig.Format tableFormat() {
        return EnumValidator.parse(TableConfig.Format.class, getString(TableConfig.FORMAT));
    }

    /**
     * The Iceberg catalog's properties: every {@code iceberg.catalog.*} key without the prefix; table metadata goes
     * through the sink's own S3 client ({@code SinkFileIO}) unless {@code iceberg.catalog.io-impl} says otherwise.
     */
    public Map<String, String> catalogProperties() {
        Map<String, String> props = new java.util.HashMap<>();
        originalsWithPrefix(TableConfig.CATALOG_PREFIX).forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("type", getString(TableConfig.CATALOG_TYPE).trim());
        if (props.containsKey("catalog-impl") || props.get("type").isEmpty()) {
            props.remove("type");
        }
        props.putIfAbsent("uri", getString(TableConfig.CATALOG_URI));
        if (props.get("uri").isBlank()) {
            props.remove("uri");
        }
        if (getString(TableConfig.CATALOG_WAREHOUSE).isBlank()) {
            props.remove("warehouse");
        }
        props.putIfAbsent("io-impl", "io.eventlake.connect.sink.s3.iceberg.SinkFileIO");
        return props;
    }

    /** Whether a task must refuse a server that ignores conditional writes (auto: unless the endpoint is local). */
    public boolean conditionalWritesRequired() {
        String v = getString(S3ConnectionConfig.CONDITIONAL_WRITES).toLowerCase(Locale.ROOT);
        if (!"auto".equals(v)) {
            return Boolean.parseBoolean(v);
        }
        String endpoint = getString(S3ConnectionConfig.ENDPOINT).trim();
        if (endpoint.isEmpty()) {
            return true;
        }
        String host;
        try {
            host = java.net.URI.create(endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return true;
        }
        if (host == null) {
            return true;
        }
        return !io.eventlake.common.config.Addresses.isLoopback(host);
    }

    public S3Settings s3() {
        String mode = getString(S3ConnectionConfig.CREDENTIALS).toLowerCase(Locale.ROOT);
        String accessKey = getString(S3ConnectionConfig.ACCESS_KEY_ID).trim();
        if ("auto".equals(mode)) {
            mode = accessKey.isEmpty() ? "default" : "static";
        }
        S3Settings.Credentials credentials = new S3Settings.Credentials(mode, accessKey,
            getPassword(S3ConnectionConfig.SECRET_ACCESS_KEY).value(), getString(S3ConnectionConfig.ROLE_ARN).trim(),
            getString(S3ConnectionConfig.ROLE_SESSION).trim(),
            getPassword(S3ConnectionConfig.ROLE_EXTERNAL_ID).value());
        String sse = getString(S3ConnectionConfig.SSE).trim().toLowerCase(Locale.ROOT);
        S3Settings.Encryption encryption = "none".equals(sse) ? S3Settings.Encryption.NONE
            : new S3Settings.Encryption("aes256".equals(sse) ? "AES256" : "aws:kms",
                getString(S3ConnectionConfig.SSE_KMS_KEY).trim());
        S3Settings.Retry retry = new S3Settings.Retry(getInt(S3ConnectionConfig.RETRY_ATTEMPTS),
            Duration.ofMillis(getLong(S3ConnectionConfig.RETRY_BACKOFF)),
            Duration.ofMillis(getLong(S3ConnectionConfig.RETRY_BACKOFF_MAX)));
        Map<String, Object> client = originalsWithPrefix(S3ConnectionConfig.CLIENT_PREFIX);
        S3Settings.Client tuning = new S3Settings.Client(millis(client, "api.call.timeout.ms"),
            millis(client, "api.call.attempt.timeout.ms"), millis(client, "connection.timeout.ms"),
            millis(client, "socket.timeout.ms"), (int) number(client, "max.connections"));
        return new S3Settings(getString(S3ConnectionConfig.BUCKET).trim(), getString(S3ConnectionConfig.REGION).trim(),
            getString(S3ConnectionConfig.ENDPOINT).trim(), getBoolean(S3ConnectionConfig.PATH_STYLE), credentials,
            encryption, retry, tuning);
    }

    private static Duration millis(Map<String, Object> client, String key) {
        return Duration.ofMillis(number(client, key));
    }

    private static long number(Map<String, Object> client, String key) {
        Object v = client.get(key);
        return v == null ? 0 : Long.parseLong(String.valueOf(v).trim());
    }

    public String bucket() {
        return getString(S3ConnectionConfig.BUCKET).trim();
    }

    public int uploadThreads() {
        return getInt(S3ConnectionConfig.UPLOAD_THREADS);
    }

    public String topicsDir() {
        return trimSlashes(getString(LayoutConfig.TOPICS_DIR));
    }

    public String checkpointDir() {
        return trimSlashes(getString(LayoutConfig.CHECKPOINT_DIR));
    }

    /** Where the per-partition checkpoints of this lake live: {@code <checkpoint.dir>/<topics.dir>}. */
    public String checkpointPrefix() {
        return checkpointDir() + "/" + topicsDir();
    }

    /** Where the per-topic lake schemas live. */
    public String schemaPrefix() {
        return checkpointDir() + "/schemas/" + topicsDir();
    }

    public String timestampField() {
        return getString(LayoutConfig.TIMESTAMP_FIELD).trim();
    }

    public Partitioner.TimeSource timeSource() {
        return EnumValidator.parse(Partitioner.TimeSource.class, getString(LayoutConfig.TIME_SOURCE));
    }

    public Partitioner partitioner(java.util.function.LongSupplier clock) {
        return new Partitioner(topicsDir(), LayoutConfig.fieldPartitions(getList(LayoutConfig.PARTITION_FIELDS)),
            timeSource(), timestampField(), EnumValidator.parse(Partitioner.Granularity.class,
                getString(LayoutConfig.GRANULARITY)), getString(LayoutConfig.PATH_FORMAT).trim(), timezone(), clock);
    }

    /** Table mode: the partition spec of new tables, from the same layout settings as the folders. */
    public io.eventlake.connect.sink.s3.iceberg.TablePartitioning tablePartitioning() {
        return new io.eventlake.connect.sink.s3.iceberg.TablePartitioning(
            LayoutConfig.fieldPartitions(getList(LayoutConfig.PARTITION_FIELDS)), timeSource(), timestampField(),
            EnumValidator.parse(Partitioner.Granularity.class, getString(LayoutConfig.GRANULARITY)),
            recordTimestampColumn());
    }

    /** The metadata column holding the Kafka timestamp, or null when files do not carry it. */
    public String recordTimestampColumn() {
        return metadataColumns().contains(MetadataColumn.TIMESTAMP)
            ? MetadataColumn.TIMESTAMP.columnName(metadataPrefix()) : null;
    }

    public ZoneId timezone() {
        return ZoneId.of(getString(LayoutConfig.TIMEZONE).trim());
    }

    public String fileNameTemplate() {
        return getString(LayoutConfig.FILE_NAME).trim();
    }

    /** In table mode the wall-clock interval is aligned to the clock, so a task's partitions commit together. */
    public RotationPolicy rotation() {
        RotationPolicy p = new RotationPolicy(flushSize(), getLong(RotationConfig.WALLCLOCK_INTERVAL),
            getLong(RotationConfig.EVENT_TIME_INTERVAL), getLong(RotationConfig.FILE_BYTES));
        return tableFormat() == TableConfig.Format.ICEBERG ? p.alignedToClock() : p;
    }

    public int flushSize() {
        return getInt(RotationConfig.FLUSH_SIZE);
    }

    public long wallclockIntervalMs() {
        return getLong(RotationConfig.WALLCLOCK_INTERVAL);
    }

    public ParquetFile.Options parquet() {
        return new ParquetFile.Options(CompressionCodecName.valueOf(getString(ParquetConfig.CODEC).trim()
            .toUpperCase(Locale.ROOT)), getInt(ParquetConfig.ROW_GROUP_BYTES), getInt(ParquetConfig.PAGE_BYTES),
            getInt(S3ConnectionConfig.PART_BYTES));
    }

    public List<MetadataColumn> metadataColumns() {
        List<MetadataColumn> columns = new ArrayList<>();
        for (String c : getList(ParquetConfig.METADATA_COLUMNS)) {
            if (!c.isBlank()) {
                columns.add(MetadataColumn.valueOf(c.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return columns;
    }

    public String metadataPrefix() {
        return getString(ParquetConfig.METADATA_PREFIX);
    }

    public Compatibility compatibility() {
        return EnumValidator.parse(Compatibility.class, getString(WriterConfig.SCHEMA_COMPATIBILITY));
    }

    /** The folder below which each task takes its spill folder. */
    public java.nio.file.Path spillDir() {
        String dir = getString(WriterConfig.SPILL_DIR).trim();
        return dir.isEmpty() ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "eventlake-spill")
            : java.nio.file.Path.of(dir);
    }

    public long spillMaxBytes() {
        return getLong(WriterConfig.SPILL_MAX_BYTES);
    }

    public long memoryBudgetBytes() {
        return getLong(WriterConfig.MEMORY_BUDGET);
    }

    public TaskWriter.Options writerOptions() {
        return new TaskWriter.Options(EnumValidator.parse(TaskWriter.NullValues.class,
            getString(WriterConfig.NULL_VALUES)), EnumValidator.parse(TaskWriter.LatePolicy.class,
            getString(LayoutConfig.LATE_POLICY)), getLong(LayoutConfig.LATE_THRESHOLD),
            getLong(WriterConfig.CLOSE_WAIT), getLong(WriterConfig.COMMIT_BACKOFF),
            getLong(WriterConfig.COMMIT_BACKOFF_MAX), Math.max(50, Math.min(1000, wallclockIntervalMs() / 4)),
            getLong(WriterConfig.MEMORY_BUDGET_WAIT), EnumValidator.parse(TaskWriter.ValueFormat.class,
                getString(WriterConfig.VALUE_FORMAT)), getInt(WriterConfig.DECODE_THREADS));
    }

    private static String trimSlashes(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
