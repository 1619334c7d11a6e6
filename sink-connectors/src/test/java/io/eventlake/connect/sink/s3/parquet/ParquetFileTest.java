package io.eventlake.connect.sink.s3.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.eventlake.connect.sink.s3.ParquetReader;

class ParquetFileTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().name("E")
        .field("id", Schema.STRING_SCHEMA)
        .field("amount", Decimal.builder(2).parameter(AvroSchemas.DECIMAL_PRECISION_PARAM, "12").optional().build())
        .field("ts", Timestamp.SCHEMA)
        .field("n", Schema.INT64_SCHEMA)
        .build();

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"})
    void writesParquetThatAnIndependentReaderReadsBackExactly(CompressionCodecName codec) throws Exception {
        ParquetFile file = new ParquetFile(new StructEncoder(SCHEMA), new ParquetFile.Options(codec, 1 << 20, 64 << 10));
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            file.write(new Struct(SCHEMA)
                .put("id", "id-" + i)
                .put("amount", i % 3 == 0 ? null : BigDecimal.valueOf(i * 101L, 2))
                .put("ts", new Date(1_722_816_000_000L + i))
                .put("n", (long) i * i));
        }
        file.close();
        assertEquals(n, file.records());
        byte[] bytes;
        try (InputStream in = file.newInputStream()) {
            bytes = in.readAllBytes();
        }
        assertEquals(file.length(), bytes.length);

        List<Map<String, Object>> types = ParquetReader.rows(bytes,
            "SELECT column_name, column_type FROM (DESCRIBE t)");
        assertEquals(List.of(Map.of("column_name", "id", "column_type", "VARCHAR"),
            Map.of("column_name", "amount", "column_type", "DECIMAL(12,2)"),
            Map.of("column_name", "ts", "column_type", "TIMESTAMP WITH TIME ZONE"),
            Map.of("column_name", "n", "column_type", "BIGINT")), types.stream().map(r -> Map.of(
                "column_name", r.get("column_name"), "column_type", r.get("column_type"))).toList());

        List<Map<String, Object>> rows = ParquetReader.rows(bytes,
            "SELECT id, amount, epoch_ms(ts) AS ts_ms, n FROM t ORDER BY n");
        assertEquals(n, rows.size());
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals("id-" + i, row.get("id"));
            if (i % 3 == 0) {
                assertNull(row.get("amount"));
            } else {
                assertEquals(BigDecimal.valueOf(i * 101L, 2), row.get("amount"));
            }
            assertEquals(1_722_816_000_000L + i, ((Number) row.get("ts_ms")).longValue());
            assertEquals((long) i * i, row.get("n"));
        }
    }
}
