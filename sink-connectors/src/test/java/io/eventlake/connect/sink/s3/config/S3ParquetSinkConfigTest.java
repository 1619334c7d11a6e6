package io.eventlake.connect.sink.s3.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.sink.s3.S3ParquetSinkConnector;
import io.eventlake.connect.sink.s3.parquet.MetadataColumn;
import io.eventlake.connect.sink.s3.schema.Compatibility;
import io.eventlake.connect.sink.s3.storage.S3Settings;

/** Each config problem is reported on its key, with the value and what to do; good configs parse once. */
class S3ParquetSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(S3ConnectionConfig.BUCKET, "lake");
        props.put(S3ConnectionConfig.VALIDATE_CONNECTION, "false");
        return props;
    }

    /** The first error validation reports on {@code key} when it is set to {@code value}. */
    private static String errorOf(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);
        return errorOn(props, key);
    }

    static String errorOn(Map<String, String> props, String key) {
        List<ConfigValue> values = new S3ParquetSinkConnector().validate(props).configValues();
        return values.stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow()
            .errorMessages().stream().findFirst().orElse("");
    }

    @Test
    void defaultsAndTypedAccessors() {
        Map<String, String> props = minimal();
        props.put(LayoutConfig.TOPICS_DIR, "/events/");
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        assertEquals("events", config.topicsDir());
        assertEquals(ZoneId.of("UTC"), config.timezone());
        assertEquals(CompressionCodecName.ZSTD, config.parquet().codec());
        assertEquals(10_000, config.flushSize());
        assertEquals(60_000, config.wallclockIntervalMs());
        assertEquals("_eventlake/checkpoints/events", config.checkpointPrefix());
        assertEquals(Compatibility.BACKWARD, config.compatibility());
        assertEquals(List.of(), config.metadataColumns());
        assertEquals("default", config.s3().credentials().mode(), "no keys: the AWS default chain");
    }

    @Test
    void staticKeysAreUsedWhenGivenAndTheSecretIsNeverPrinted() {
        Map<String, String> props = minimal();
        props.put(S3ConnectionConfig.ACCESS_KEY_ID, "AKIA123");
        props.put(S3ConnectionConfig.SECRET_ACCESS_KEY, "s3cr3t");
        S3Settings s3 = new S3ParquetSinkConfig(props).s3();
        assertEquals("static", s3.credentials().mode());
        assertEquals("s3cr3t", s3.credentials().secretAccessKey());
        assertTrue(!s3.toString().contains("s3cr3t"), s3.toString());
    }

    @Test
    void clientPassThroughKeysTuneTheClientAndUnknownOnesAreRefused() {
        Map<String, String> props = minimal();
        props.put("s3.client.api.call.timeout.ms", "30000");
        props.put("s3.client.max.connections", "64");
        S3Settings.Client c = new S3ParquetSinkConfig(props).s3().client();
        assertEquals(Duration.ofSeconds(30), c.apiCallTimeout());
        assertEquals(64, c.maxConnections());
        props.put("s3.client.turbo", "1");
        ConfigException e = assertThrows(ConfigException.class, () -> new S3ParquetSinkConfig(props));
        assertTrue(e.getMessage().contains("s3.client.turbo") && e.getMessage().contains("api.call.timeout.ms"),
            e.getMessage());
    }

    @Test
    void missingBucketIsReportedOnItsKey() {
        List<ConfigValue> values = new S3ParquetSinkConnector().validate(new HashMap<>()).configValues();
        ConfigValue bucket = values.stream().filter(v -> v.name().equals(S3ConnectionConfig.BUCKET))
            .findFirst().orElseThrow();
        assertTrue(bucket.errorMessages().get(0).contains(S3ConnectionConfig.BUCKET), bucket.errorMessages().toString());
    }

    @Test
    void badTimeZoneNamesKeyAndValue() {
        String error = errorOf(LayoutConfig.TIMEZONE, "Mars/Olympus");
        assertTrue(error.contains("Mars/Olympus") && error.contains("timezone"), error);
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        String error = errorOf(S3ConnectionConfig.ENDPOINT, "minio:9000");
        assertTrue(error.contains("minio:9000") && error.contains("http"), error);
    }

    @Test
    void unknownCodecListsTheValidOnes() {
        String error = errorOf(ParquetConfig.CODEC, "lzo");
        assertTrue(error.contains("lzo") && error.contains("zstd"), error);
    }

    @Test
    void flushSizeMustBePositive() {
        String error = errorOf(RotationConfig.FLUSH_SIZE, "0");
        assertTrue(error.contains("flush.size") && error.contains("0"), error);
    }

    @Test
    void topicsDirCannotEscapeTheBucket() {
        String error = errorOf(LayoutConfig.TOPICS_DIR, "../other");
        assertTrue(error.contains("../other"), error);
    }

    @Test
    void theAmbiguousRotateIntervalKeyIsRefusedNamingBothReplacements() {
        String error = errorOf(RotationConfig.AMBIGUOUS_INTERVAL, "60000");
        assertTrue(error.contains("rotate.wallclock.interval.ms") && error.contains("rotate.eventtime.interval.ms"),
            error);
    }

    @Test
    void aFileNameTemplateMustKeepNamesUnique() {
        String error = errorOf(LayoutConfig.FILE_NAME, "{topic}-{start_offset}");
        assertTrue(error.contains("{partition}") && error.contains("{epoch}"), error);
    }

    @Test
    void partitionFieldsAndPathFormatAreChecked() {
        assertTrue(errorOf(LayoutConfig.PARTITION_FIELDS, "a..b").contains("a..b"));
        assertTrue(errorOf(LayoutConfig.PATH_FORMAT, "'year=yyyy").contains("path.format"));
        assertTrue(errorOf(LayoutConfig.GRANULARITY, "week").contains("hour"));
        assertTrue(errorOf(ParquetConfig.METADATA_COLUMNS, "offset,partition_id").contains("partition_id"));
    }

    @Test
    void crossKeyRulesNameTheKeyToFix() {
        Map<String, String> props = minimal();
        props.put(S3ConnectionConfig.CREDENTIALS, "assume-role");
        assertTrue(errorOn(props, S3ConnectionConfig.ROLE_ARN).contains("assume-role"));

        props = minimal();
        props.put(S3ConnectionConfig.ACCESS_KEY_ID, "AKIA123");
        assertTrue(errorOn(props, S3ConnectionConfig.SECRET_ACCESS_KEY).contains(S3ConnectionConfig.ACCESS_KEY_ID));

        props = minimal();
        props.put(S3ConnectionConfig.SSE_KMS_KEY, "key-1");
        assertTrue(errorOn(props, S3ConnectionConfig.SSE_KMS_KEY).contains("aws:kms"));

        props = minimal();
        props.put(WriterConfig.MEMORY_BUDGET, Long.toString(8L * 1024 * 1024));
        props.put(S3ConnectionConfig.PART_BYTES, Integer.toString(6 * 1024 * 1024));
        assertTrue(errorOn(props, WriterConfig.MEMORY_BUDGET).contains(S3ConnectionConfig.PART_BYTES));
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        Map<String, String> props = minimal();
        props.put(ParquetConfig.CODEC, "SNAPPY");
        props.put(WriterConfig.SCHEMA_COMPATIBILITY, "Full");
        props.put(ParquetConfig.METADATA_COLUMNS, "offset, Partition");
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        assertEquals(CompressionCodecName.SNAPPY, config.parquet().codec());
        assertEquals(Compatibility.FULL, config.compatibility());
        assertEquals(List.of(MetadataColumn.OFFSET, MetadataColumn.PARTITION), config.metadataColumns());
    }
}
