package io.eventlake.connect.sink.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

class S3ParquetSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(S3ParquetSinkConfig.S3_BUCKET_CONFIG, "lake");
        return props;
    }

    private static String errorOf(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);
        List<ConfigValue> values = new S3ParquetSinkConnector().validate(props).configValues();
        return values.stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow()
            .errorMessages().stream().findFirst().orElse("");
    }

    @Test
    void defaultsAndTypedAccessors() {
        Map<String, String> props = minimal();
        props.put(S3ParquetSinkConfig.TOPICS_DIR_CONFIG, "/events/");
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        assertEquals("events", config.topicsDir());
        assertEquals(ZoneId.of("UTC"), config.timezone());
        assertEquals(CompressionCodecName.ZSTD, config.parquetCodec());
        assertEquals(10_000, config.flushSize());
        assertEquals("_eventlake/checkpoints", config.checkpointDir());
    }

    @Test
    void missingBucketIsReportedOnItsKey() {
        List<ConfigValue> values = new S3ParquetSinkConnector().validate(new HashMap<>()).configValues();
        ConfigValue bucket = values.stream().filter(v -> v.name().equals(S3ParquetSinkConfig.S3_BUCKET_CONFIG))
            .findFirst().orElseThrow();
        assertTrue(bucket.errorMessages().get(0).contains(S3ParquetSinkConfig.S3_BUCKET_CONFIG),
            bucket.errorMessages().toString());
    }

    @Test
    void badTimeZoneNamesKeyAndValue() {
        String error = errorOf(S3ParquetSinkConfig.TIMEZONE_CONFIG, "Mars/Olympus");
        assertTrue(error.contains("Mars/Olympus") && error.contains("timezone"), error);
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        String error = errorOf(S3ParquetSinkConfig.S3_ENDPOINT_CONFIG, "minio:9000");
        assertTrue(error.contains("minio:9000") && error.contains("http"), error);
    }

    @Test
    void unknownCodecListsTheValidOnes() {
        String error = errorOf(S3ParquetSinkConfig.PARQUET_CODEC_CONFIG, "lzo");
        assertTrue(error.contains("lzo") && error.toLowerCase().contains("zstd"), error);
    }

    @Test
    void flushSizeMustBePositive() {
        String error = errorOf(S3ParquetSinkConfig.FLUSH_SIZE_CONFIG, "0");
        assertTrue(error.contains("flush.size") && error.contains("0"), error);
    }

    @Test
    void topicsDirCannotEscapeTheBucket() {
        String error = errorOf(S3ParquetSinkConfig.TOPICS_DIR_CONFIG, "../other");
        assertTrue(error.contains("../other"), error);
    }

    @Test
    void codecNamesAreCaseInsensitive() {
        Map<String, String> props = minimal();
        props.put(S3ParquetSinkConfig.PARQUET_CODEC_CONFIG, "SNAPPY");
        assertEquals(CompressionCodecName.SNAPPY, new S3ParquetSinkConfig(props).parquetCodec());
    }
}
