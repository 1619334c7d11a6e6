package io.eventlake.connect.sink.s3;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import io.eventlake.connect.sink.s3.parquet.PlainCodecFactory;

/** The S3 Parquet sink's configuration, parsed once per task, with typed accessors. */
public final class S3ParquetSinkConfig extends AbstractConfig {

    public static final String S3_GROUP = "S3";
    public static final String S3_BUCKET_CONFIG = "s3.bucket.name";
    private static final String S3_BUCKET_DOC = "Bucket the lake is written to.";
    public static final String S3_REGION_CONFIG = "s3.region";
    private static final String S3_REGION_DOC = "AWS region of the bucket.";
    public static final String S3_ENDPOINT_CONFIG = "s3.endpoint.url";
    private static final String S3_ENDPOINT_DOC = "Endpoint of an S3-compatible server (MinIO, a local server), e.g. "
        + "http://minio:9000. Empty means AWS S3 for the region.";
    public static final String S3_PATH_STYLE_CONFIG = "s3.path.style.access";
    private static final String S3_PATH_STYLE_DOC = "Address the bucket in the path (http://host/bucket/key) instead of "
        + "the host name; most S3-compatible servers need this.";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = "aws.access.key.id";
    private static final String AWS_ACCESS_KEY_ID_DOC = "Access key id. Empty uses the AWS default credentials chain "
        + "(environment, profile, instance role).";
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = "aws.secret.access.key";
    private static final String AWS_SECRET_ACCESS_KEY_DOC = "Secret access key, used with " + AWS_ACCESS_KEY_ID_CONFIG
        + ".";

    public static final String LAYOUT_GROUP = "Layout";
    public static final String TOPICS_DIR_CONFIG = "topics.dir";
    private static final String TOPICS_DIR_DOC = "Top-level folder of the lake in the bucket; files land under "
        + "<topics.dir>/<topic>/year=YYYY/month=MM/day=dd/hour=HH/.";
    public static final String TIMESTAMP_FIELD_CONFIG = "timestamp.field";
    private static final String TIMESTAMP_FIELD_DOC = "Value field holding the event time that chooses the time "
        + "partition: a Connect Timestamp or an INT64 of epoch milliseconds. Empty uses the Kafka record timestamp.";
    public static final String TIMEZONE_CONFIG = "timezone";
    private static final String TIMEZONE_DOC = "Time zone of the year/month/day/hour partition values, e.g. UTC or "
        + "Europe/Paris.";
    public static final String CHECKPOINT_DIR_CONFIG = "checkpoint.dir";
    private static final String CHECKPOINT_DIR_DOC = "Folder in the bucket for the sink's per-partition checkpoints, "
        + "which make delivery exactly once. Starts with '_' so query engines skip it.";

    public static final String ROTATION_GROUP = "Rotation";
    public static final String FLUSH_SIZE_CONFIG = "flush.size";
    private static final String FLUSH_SIZE_DOC = "Records buffered for one Kafka partition before its files are "
        + "closed, uploaded and committed. A file never holds more records than this.";
    public static final String ROTATE_INTERVAL_MS_CONFIG = "rotate.interval.ms";
    private static final String ROTATE_INTERVAL_MS_DOC = "Wall-clock time after the first buffered record of a Kafka "
        + "partition at which its files are closed and uploaded even if " + FLUSH_SIZE_CONFIG + " is not reached. "
        + "Bounds the delay before data is queryable. 0 disables it.";

    public static final String PARQUET_GROUP = "Parquet";
    public static final String PARQUET_CODEC_CONFIG = "parquet.codec";
    private static final String PARQUET_CODEC_DOC = "Compression codec of the Parquet pages.";
    public static final String PARQUET_ROW_GROUP_BYTES_CONFIG = "parquet.row.group.bytes";
    private static final String PARQUET_ROW_GROUP_BYTES_DOC = "Target size of a Parquet row group; each open file "
        + "buffers up to this much in memory.";
    public static final String PARQUET_PAGE_BYTES_CONFIG = "parquet.page.bytes";
    private static final String PARQUET_PAGE_BYTES_DOC = "Target size of a Parquet page.";

    public static final ConfigDef CONFIG_DEF = configDef();

    public S3ParquetSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        int s3 = 0;
        int layout = 0;
        int rotation = 0;
        int parquet = 0;
        return new ConfigDef()
            .define(S3_BUCKET_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                Importance.HIGH, S3_BUCKET_DOC, S3_GROUP, ++s3, Width.MEDIUM, "Bucket")
            .define(S3_REGION_CONFIG, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                S3_REGION_DOC, S3_GROUP, ++s3, Width.SHORT, "Region")
            .define(S3_ENDPOINT_CONFIG, Type.STRING, "", new EndpointValidator(), Importance.MEDIUM, S3_ENDPOINT_DOC,
                S3_GROUP, ++s3, Width.LONG, "Endpoint")
            .define(S3_PATH_STYLE_CONFIG, Type.BOOLEAN, false, Importance.LOW, S3_PATH_STYLE_DOC, S3_GROUP, ++s3,
                Width.SHORT, "Path-style access")
            .define(AWS_ACCESS_KEY_ID_CONFIG, Type.STRING, "", Importance.MEDIUM, AWS_ACCESS_KEY_ID_DOC, S3_GROUP,
                ++s3, Width.MEDIUM, "Access key id")
            .define(AWS_SECRET_ACCESS_KEY_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, AWS_SECRET_ACCESS_KEY_DOC,
                S3_GROUP, ++s3, Width.MEDIUM, "Secret access key")
            .define(TOPICS_DIR_CONFIG, Type.STRING, "topics", new PathSegmentValidator(), Importance.MEDIUM,
                TOPICS_DIR_DOC, LAYOUT_GROUP, ++layout, Width.MEDIUM, "Topics folder")
            .define(TIMESTAMP_FIELD_CONFIG, Type.STRING, "event_time", Importance.MEDIUM, TIMESTAMP_FIELD_DOC,
                LAYOUT_GROUP, ++layout, Width.MEDIUM, "Event time field")
            .define(TIMEZONE_CONFIG, Type.STRING, "UTC", new TimeZoneValidator(), Importance.LOW, TIMEZONE_DOC,
                LAYOUT_GROUP, ++layout, Width.SHORT, "Time zone")
            .define(CHECKPOINT_DIR_CONFIG, Type.STRING, "_eventlake/checkpoints", new PathSegmentValidator(),
                Importance.LOW, CHECKPOINT_DIR_DOC, LAYOUT_GROUP, ++layout, Width.MEDIUM, "Checkpoint folder")
            .define(FLUSH_SIZE_CONFIG, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.HIGH, FLUSH_SIZE_DOC,
                ROTATION_GROUP, ++rotation, Width.SHORT, "Flush size")
            .define(ROTATE_INTERVAL_MS_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                ROTATE_INTERVAL_MS_DOC, ROTATION_GROUP, ++rotation, Width.SHORT, "Rotate interval (ms)")
            .define(PARQUET_CODEC_CONFIG, Type.STRING, "zstd",
                ConfigDef.CaseInsensitiveValidString.in(codecNames()), Importance.LOW, PARQUET_CODEC_DOC,
                PARQUET_GROUP, ++parquet, Width.SHORT, "Codec")
            .define(PARQUET_ROW_GROUP_BYTES_CONFIG, Type.INT, 8 * 1024 * 1024, ConfigDef.Range.atLeast(64 * 1024),
                Importance.LOW, PARQUET_ROW_GROUP_BYTES_DOC, PARQUET_GROUP, ++parquet, Width.SHORT, "Row group bytes")
            .define(PARQUET_PAGE_BYTES_CONFIG, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(4 * 1024),
                Importance.LOW, PARQUET_PAGE_BYTES_DOC, PARQUET_GROUP, ++parquet, Width.SHORT, "Page bytes");
    }

    private static String[] codecNames() {
        return PlainCodecFactory.SUPPORTED.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    public String bucket() {
        return getString(S3_BUCKET_CONFIG);
    }

    public String region() {
        return getString(S3_REGION_CONFIG);
    }

    public String endpoint() {
        return getString(S3_ENDPOINT_CONFIG);
    }

    public boolean pathStyleAccess() {
        return getBoolean(S3_PATH_STYLE_CONFIG);
    }

    public String accessKeyId() {
        return getString(AWS_ACCESS_KEY_ID_CONFIG);
    }

    public Password secretAccessKey() {
        return getPassword(AWS_SECRET_ACCESS_KEY_CONFIG);
    }

    public String topicsDir() {
        return trimSlashes(getString(TOPICS_DIR_CONFIG));
    }

    public String timestampField() {
        return getString(TIMESTAMP_FIELD_CONFIG).trim();
    }

    public ZoneId timezone() {
        return ZoneId.of(getString(TIMEZONE_CONFIG));
    }

    public String checkpointDir() {
        return trimSlashes(getString(CHECKPOINT_DIR_CONFIG));
    }

    public int flushSize() {
        return getInt(FLUSH_SIZE_CONFIG);
    }

    public long rotateIntervalMs() {
        return getLong(ROTATE_INTERVAL_MS_CONFIG);
    }

    public CompressionCodecName parquetCodec() {
        return CompressionCodecName.valueOf(getString(PARQUET_CODEC_CONFIG).toUpperCase(Locale.ROOT));
    }

    public int parquetRowGroupBytes() {
        return getInt(PARQUET_ROW_GROUP_BYTES_CONFIG);
    }

    public int parquetPageBytes() {
        return getInt(PARQUET_PAGE_BYTES_CONFIG);
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

    static final class TimeZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of((String) value);
            } catch (DateTimeException | NullPointerException e) {
                throw new ConfigException(name, value, "not a time zone id (e.g. UTC, Europe/Paris)");
            }
        }

        @Override
        public String toString() {
            return "a time zone id, e.g. UTC";
        }
    }

    static final class EndpointValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : ((String) value).trim();
            if (!v.isEmpty() && !(v.startsWith("http://") || v.startsWith("https://"))) {
                throw new ConfigException(name, value, "must be empty or an http:// or https:// URL");
            }
        }

        @Override
        public String toString() {
            return "empty, or an http(s) URL";
        }
    }

    static final class PathSegmentValidator implements ConfigDef.Validator {
        private static final List<String> FORBIDDEN = Arrays.asList("..", "//", "\\");

        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : ((String) value).trim();
            if (v.replace("/", "").isEmpty() || FORBIDDEN.stream().anyMatch(v::contains)) {
                throw new ConfigException(name, value, "must be a non-empty relative folder without '..', '//' or '\\'");
            }
        }

        @Override
        public String toString() {
            return "a relative folder";
        }
    }
}
