package io.eventlake.connect.sink.s3.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.eventlake.connect.sink.s3.ParquetReader;

/** Struct to Parquet, read back by an independent engine (DuckDB). */
class ParquetFileTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().name("E")
        .field("id", Schema.STRING_SCHEMA)
        .field("amount", Decimal.builder(2).parameter(ParquetSchemas.DECIMAL_PRECISION_PARAM, "12").optional().build())
        .field("ts", Timestamp.SCHEMA)
        .field("n", Schema.INT64_SCHEMA)
        .build();

    private static ParquetFile.Options options(CompressionCodecName codec) {
        return new ParquetFile.Options(codec, 1 << 20, 64 << 10, 5 << 20);
    }

    private static SinkRecord record(Schema schema, Struct value, long offset) {
        return new SinkRecord("t", 0, null, null, schema, value, offset, 1L, TimestampType.CREATE_TIME);
    }

    /** Writes the values into one file under the schema Connect would give them, and returns its bytes. */
    static byte[] write(Schema schema, List<Struct> values) throws IOException {
        MessageType target = ParquetSchemas.of(schema, List.of());
        RowWriter plan = RowWriter.of(schema, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        long offset = 0;
        for (Struct v : values) {
            plan.check(v);
            file.write(plan, record(schema, v, offset++), v);
        }
        file.close();
        return file.bytes().tailBytes();
    }

    private static Struct row(int i) {
        return new Struct(SCHEMA).put("id", "id-" + i)
            .put("amount", i % 3 == 0 ? null : BigDecimal.valueOf(i * 101L - 50_000, 2))
            .put("ts", new Date(1_722_816_000_000L + i)).put("n", (long) i);
    }

    /**
     * Sequence: 120 rows are written and spilled (the file then holds no heap), 80 more written and spilled, 50 more
     * written; the file is closed. The one file holds the 250 rows in order, re-encoded into one row group, with a
     * footer that counts them; the segments are gone from the disk and its count is back to 0.
     */
    @Test
    void spilledRowsComeBackInOrderInOneFileAndTheSegmentsAreDeleted(@TempDir Path tmp) throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        SpillDisk disk = SpillDisk.open(tmp, "c", 1 << 30);
        int n = 0;
        for (int part : new int[] {120, 80}) {
            for (int i = 0; i < part; i++, n++) {
                file.write(plan, record(SCHEMA, row(n), n), row(n));
            }
            assertTrue(file.spill(disk) > 0);
            assertEquals(0, file.bufferedBytes(), "a spilled file holds no heap");
        }
        assertEquals(2, file.segments());
        assertTrue(disk.usedBytes() > 0);
        for (int i = 0; i < 50; i++, n++) {
            file.write(plan, record(SCHEMA, row(n), n), row(n));
        }
        file.close();
        assertEquals(250, file.records());
        assertEquals(1, file.footer().getBlocks().size(), "re-encoded into one row group");
        assertEquals(250, file.footer().getBlocks().stream().mapToLong(b -> b.getRowCount()).sum());
        assertEquals(0, disk.usedBytes());
        try (var left = Files.list(disk.dir())) {
            assertEquals(0, left.count(), "segments deleted");
        }
        List<Map<String, Object>> rows = ParquetReader.rows(file.bytes().tailBytes(),
            "SELECT id, amount, n FROM t");
        assertEquals(250, rows.size());
        for (int i = 0; i < 250; i++) {
            Struct want = row(i);
            assertEquals(want.get("id"), rows.get(i).get("id"));
            assertEquals(want.get("amount"), rows.get(i).get("amount"));
            assertEquals((long) i, ((Number) rows.get(i).get("n")).longValue());
        }
        disk.close();
    }

    /**
     * A finished file waiting for S3 holds its bytes, which the memory budget counts, not the room its buffer grew:
     * a file of a few rows would otherwise hold its first 4 KiB, and a larger one up to twice its size.
     */
    @Test
    void aFinishedFileHoldsItsBytesNotItsGrownBuffer() throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        for (int rows : new int[] {3, 5_000}) {
            ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
            for (int i = 0; i < rows; i++) {
                file.write(plan, record(SCHEMA, row(i), i), row(i));
            }
            file.close();
            long length = file.bytes().length();
            assertTrue(file.bytes().capacity() <= length + length / 8 + 64,
                rows + " rows: " + file.bytes().capacity() + " bytes held for a file of " + length);
            assertEquals(file.bytes().capacity(), file.bufferedBytes());
        }
    }

    /** A file that has sent a part of its multipart upload cannot spill: its first bytes are in S3 already. */
    @Test
    void aFileWithAPartInS3DoesNotSpill(@TempDir Path tmp) throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        List<Integer> parts = new ArrayList<>();
        ParquetFile file = new ParquetFile("k", target, new ParquetFile.Options(CompressionCodecName.UNCOMPRESSED,
            4 << 10, 1 << 10, 8 << 10), (bytes, length) -> parts.add(length));
        SpillDisk disk = SpillDisk.open(tmp, "c", 1 << 30);
        for (int i = 0; parts.isEmpty(); i++) {
            file.write(plan, record(SCHEMA, row(i), i), row(i));
        }
        assertEquals(0, file.spill(disk));
        assertEquals(0, disk.segmentsWritten());
        disk.close();
    }

    /** Spilling stops at spill.max.bytes: a file that does not fit stays in memory (the budget commits it instead). */
    @Test
    void aFullSpillDiskRefusesTheSegment(@TempDir Path tmp) throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        SpillDisk disk = SpillDisk.open(tmp, "c", 1024);
        for (int i = 0; i < 500; i++) {
            file.write(plan, record(SCHEMA, row(i), i), row(i));
        }
        long before = file.bufferedBytes();
        assertEquals(0, file.spill(disk));
        assertEquals(before, file.bufferedBytes());
        file.close();
        assertEquals(500, ParquetReader.rows(file.bytes().tailBytes(), "SELECT n FROM t").size());
        disk.close();
    }

    /** A dropped file (revoked partition, failed commit) deletes its segments. */
    @Test
    void discardingASpilledFileDeletesItsSegments(@TempDir Path tmp) throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        SpillDisk disk = SpillDisk.open(tmp, "c", 1 << 30);
        for (int i = 0; i < 100; i++) {
            file.write(plan, record(SCHEMA, row(i), i), row(i));
        }
        file.spill(disk);
        file.discard();
        assertEquals(0, disk.usedBytes());
        try (var left = Files.list(disk.dir())) {
            assertEquals(0, left.count());
        }
        disk.close();
    }

    /**
     * Sequence: a task takes slot 0 of the connector's spill folder and leaves a segment there; a second task of the
     * same connector in the same JVM takes slot 1; the first stops (its folder deleted, its lock released); a third
     * task takes slot 0 again, empty.
     */
    @Test
    void eachTaskTakesAFolderOfItsOwnAndEmptiesWhatADeadOneLeft(@TempDir Path tmp) throws Exception {
        SpillDisk first = SpillDisk.open(tmp, "conn/1", 1 << 20);
        SpillDisk second = SpillDisk.open(tmp, "conn/1", 1 << 20);
        assertNotEquals(first.dir(), second.dir());
        Files.writeString(first.dir().resolve("stale.parquet"), "x");
        first.close();
        SpillDisk third = SpillDisk.open(tmp, "conn/1", 1 << 20);
        assertEquals(first.dir(), third.dir());
        try (var left = Files.list(third.dir())) {
            assertEquals(0, left.count());
        }
        second.close();
        third.close();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"})
    void writesParquetThatAnIndependentReaderReadsBackExactly(CompressionCodecName codec) throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, options(codec), null);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            Struct v = new Struct(SCHEMA)
                .put("id", "id-" + i)
                .put("amount", i % 3 == 0 ? null : BigDecimal.valueOf(i * 101L - 50_000, 2))
                .put("ts", new Date(1_722_816_000_000L + i))
                .put("n", (long) i * i);
            file.write(plan, record(SCHEMA, v, i), v);
        }
        file.close();
        assertEquals(n, file.records());
        byte[] bytes = file.bytes().tailBytes();
        assertEquals(file.bytes().length(), bytes.length);

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
                assertEquals(BigDecimal.valueOf(i * 101L - 50_000, 2), row.get("amount"));
            }
            assertEquals(1_722_816_000_000L + i, ((Number) row.get("ts_ms")).longValue());
            assertEquals((long) i * i, row.get("n"));
        }
    }

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address").optional()
        .field("city", Schema.STRING_SCHEMA).field("zip", Schema.OPTIONAL_INT32_SCHEMA).build();
    private static final Schema ALL_TYPES = SchemaBuilder.struct().name("All")
        .field("i8", Schema.INT8_SCHEMA).field("i16", Schema.INT16_SCHEMA).field("i32", Schema.INT32_SCHEMA)
        .field("f32", Schema.FLOAT32_SCHEMA).field("f64", Schema.FLOAT64_SCHEMA)
        .field("flag", Schema.BOOLEAN_SCHEMA).field("raw", Schema.BYTES_SCHEMA)
        .field("day", org.apache.kafka.connect.data.Date.SCHEMA).field("clock", Time.SCHEMA)
        .field("big", Decimal.builder(4).parameter(ParquetSchemas.DECIMAL_PRECISION_PARAM, "30").build())
        .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
        .field("scores", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA).optional().build())
        .field("address", ADDRESS)
        .build();

    private static Struct allTypes() {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("a", 1.5);
        scores.put("b", -2.0);
        List<String> tags = new ArrayList<>(List.of("x", "y"));
        tags.add(null);
        return new Struct(ALL_TYPES).put("i8", (byte) -8).put("i16", (short) 1600).put("i32", 32)
            .put("f32", 1.5f).put("f64", 2.25).put("flag", true).put("raw", new byte[] {1, 2, 3})
            .put("day", new Date(19_000L * 86_400_000L)).put("clock", new Date(3_723_004L))
            .put("big", new BigDecimal("-12345678901234567890.1234")).put("tags", tags).put("scores", scores)
            .put("address", new Struct(ADDRESS).put("city", "Lyon").put("zip", 69001));
    }

    /**
     * Rows of every Connect type, nested and null ones included, come back the same from a file whose rows were
     * spilled one by one (each a segment, read back with the sink's own decompressors and re-encoded at close) as
     * from a file written in one go, with every codec.
     */
    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"})
    void everyConnectTypeComesBackTheSameThroughSpilledSegments(CompressionCodecName codec, @TempDir Path tmp)
        throws Exception {
        List<Struct> values = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Struct v = allTypes().put("i32", i);
            if (i % 2 == 1) {
                v.put("tags", null).put("scores", null).put("address", null);
            }
            values.add(v);
        }
        MessageType target = ParquetSchemas.of(ALL_TYPES, List.of());
        RowWriter plan = RowWriter.of(ALL_TYPES, target, Map.of());
        ParquetFile spilled = new ParquetFile("k", target, options(codec), null);
        SpillDisk disk = SpillDisk.open(tmp, "c", 1 << 30);
        long offset = 0;
        for (Struct v : values) {
            plan.check(v);
            spilled.write(plan, record(ALL_TYPES, v, offset++), v);
            assertTrue(spilled.spill(disk) > 0);
        }
        spilled.close();
        String all = "SELECT i8, i16, i32, f32, f64, flag, raw::VARCHAR AS raw, day::VARCHAR AS day, "
            + "clock::VARCHAR AS clock, big, tags::VARCHAR AS tags, scores::VARCHAR AS scores, "
            + "address::VARCHAR AS address FROM t";
        assertEquals(ParquetReader.rows(write(ALL_TYPES, values), all),
            ParquetReader.rows(spilled.bytes().tailBytes(), all));
        disk.close();
    }

    @Test
    void everyConnectTypeMapsToItsParquetTypeAndReadsBack() throws Exception {
        Schema schema = ALL_TYPES;
        Struct v = allTypes();
        byte[] bytes = write(schema, List.of(v));

        Map<String, Object> types = new LinkedHashMap<>();
        ParquetReader.rows(bytes, "SELECT column_name, column_type FROM (DESCRIBE t)")
            .forEach(r -> types.put((String) r.get("column_name"), r.get("column_type")));
        assertEquals("TINYINT", types.get("i8"));
        assertEquals("SMALLINT", types.get("i16"));
        assertEquals("INTEGER", types.get("i32"));
        assertEquals("FLOAT", types.get("f32"));
        assertEquals("DATE", types.get("day"));
        assertEquals("TIME", types.get("clock"));
        assertEquals("DECIMAL(30,4)", types.get("big"));
        assertEquals("VARCHAR[]", types.get("tags"));
        assertEquals("MAP(VARCHAR, DOUBLE)", types.get("scores"));
        assertEquals("STRUCT(city VARCHAR, zip INTEGER)", types.get("address"));

        Map<String, Object> row = ParquetReader.rows(bytes, "SELECT i8, i16, i32, f32, f64, flag, raw::VARCHAR AS raw, "
            + "day::VARCHAR AS day, clock::VARCHAR AS clock, big, tags::VARCHAR AS tags, scores['b'] AS b, "
            + "address.city AS city, address.zip AS zip FROM t").get(0);
        assertEquals((byte) -8, ((Number) row.get("i8")).byteValue());
        assertEquals(1600, ((Number) row.get("i16")).intValue());
        assertEquals(32, row.get("i32"));
        assertEquals(1.5f, ((Number) row.get("f32")).floatValue());
        assertEquals(2.25, row.get("f64"));
        assertEquals(true, row.get("flag"));
        assertEquals("\\x01\\x02\\x03", row.get("raw"));
        assertEquals("2022-01-08", row.get("day"));
        assertEquals("01:02:03.004", row.get("clock"));
        assertEquals(new BigDecimal("-12345678901234567890.1234"), row.get("big"));
        assertEquals("[x, y, NULL]", row.get("tags"));
        assertEquals(-2.0, ((Number) row.get("b")).doubleValue());
        assertEquals("Lyon", row.get("city"));
        assertEquals(69001, row.get("zip"));
    }

    @Test
    void anExplicitNullLandsAsNullNotAsTheDefault() throws Exception {
        Schema schema = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("country", SchemaBuilder.string().optional().defaultValue("FR").build())
            .build();
        byte[] bytes = write(schema, List.of(new Struct(schema).put("id", 1L).put("country", null),
            new Struct(schema).put("id", 2L).put("country", "DE")));
        assertEquals(List.of(Map.of("id", 1L, "missing", true), Map.of("id", 2L, "missing", false)),
            ParquetReader.rows(bytes, "SELECT id, country IS NULL AS missing FROM t ORDER BY id"));
    }

    @Test
    void fieldNamesAvroRejectsAreKeptAsTheyAre() throws Exception {
        Schema schema = SchemaBuilder.struct().name("my-event.v2")
            .field("user-id", Schema.STRING_SCHEMA).field("1st_seen", Schema.INT64_SCHEMA).build();
        byte[] bytes = write(schema, List.of(new Struct(schema).put("user-id", "u1").put("1st_seen", 5L)));
        assertEquals(List.of(Map.of("u", "u1", "s", 5L)),
            ParquetReader.rows(bytes, "SELECT \"user-id\" AS u, \"1st_seen\" AS s FROM t"));
    }

    @Test
    void recordsOfAnOlderSchemaAreProjectedOntoAWiderFileSchema() throws Exception {
        Schema v1 = SchemaBuilder.struct().name("E").field("id", Schema.INT64_SCHEMA).build();
        Schema v2 = SchemaBuilder.struct().name("E").field("id", Schema.INT64_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        MessageType target = ParquetSchemas.of(v2, List.of());
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        RowWriter old = RowWriter.of(v1, target, Map.of());
        RowWriter current = RowWriter.of(v2, target, Map.of());
        Struct a = new Struct(v1).put("id", 1L);
        Struct b = new Struct(v2).put("id", 2L).put("note", "n");
        file.write(old, record(v1, a, 0), a);
        file.write(current, record(v2, b, 1), b);
        file.close();
        List<Map<String, Object>> rows = ParquetReader.rows(file.bytes().tailBytes(),
            "SELECT id, coalesce(note, '-') AS note FROM t ORDER BY id");
        assertEquals(List.of(Map.of("id", 1L, "note", "-"), Map.of("id", 2L, "note", "n")), rows);
    }

    @Test
    void kafkaMetadataColumnsFollowTheValue() throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of(MetadataColumn.TOPIC.typeWithPrefix("kafka_"),
            MetadataColumn.PARTITION.typeWithPrefix("kafka_"), MetadataColumn.OFFSET.typeWithPrefix("kafka_"),
            MetadataColumn.KEY.typeWithPrefix("kafka_"), MetadataColumn.HEADERS.typeWithPrefix("kafka_")));
        Map<String, MetadataColumn> meta = Map.of("kafka_topic", MetadataColumn.TOPIC, "kafka_partition",
            MetadataColumn.PARTITION, "kafka_offset", MetadataColumn.OFFSET, "kafka_key", MetadataColumn.KEY,
            "kafka_headers", MetadataColumn.HEADERS);
        RowWriter plan = RowWriter.of(SCHEMA, target, meta);
        ParquetFile file = new ParquetFile("k", target, options(CompressionCodecName.ZSTD), null);
        Struct v = new Struct(SCHEMA).put("id", "a").put("ts", new Date(0)).put("n", 1L);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("violations", "amount<0");
        SinkRecord r = new SinkRecord("events", 3, Schema.STRING_SCHEMA, "user-7", SCHEMA, v, 42, 5L,
            TimestampType.CREATE_TIME, headers).newRecord("events-quarantine", 3, Schema.STRING_SCHEMA, "user-7",
            SCHEMA, v, 5L);
        file.write(plan, r, v);
        file.close();
        assertEquals(List.of(Map.of("kafka_topic", "events", "kafka_partition", 3, "kafka_offset", 42L,
            "kafka_key", "user-7", "v", "amount<0")), ParquetReader.rows(file.bytes().tailBytes(),
            "SELECT kafka_topic, kafka_partition, kafka_offset, kafka_key, kafka_headers['violations'] AS v FROM t"));
    }

    @Test
    void optionalRiskyValuesMayBeNull() throws Exception {
        Schema schema = SchemaBuilder.struct()
            .field("price", Decimal.builder(2).optional().build())
            .field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
            .field("inner", SchemaBuilder.struct().optional().field("d", Decimal.builder(1).optional().build()).build())
            .build();
        byte[] bytes = write(schema, List.of(new Struct(schema)));
        assertEquals(List.of(Map.of("n", 1L)), ParquetReader.rows(bytes, "SELECT count(*) AS n FROM t WHERE price "
            + "IS NULL AND tags IS NULL AND \"inner\" IS NULL"));
    }

    @Test
    void aValueThatCannotBeWrittenIsRefusedBeforeTheRowStarts() throws Exception {
        Schema schema = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("price", Decimal.builder(2).parameter(ParquetSchemas.DECIMAL_PRECISION_PARAM, "4").build())
            .build();
        MessageType target = ParquetSchemas.of(schema, List.of());
        RowWriter plan = RowWriter.of(schema, target, Map.of());
        Struct tooBig = new Struct(schema).put("id", 1L).put("price", new BigDecimal("123.45"));
        DataException e = assertThrows(DataException.class, () -> plan.check(tooBig));
        assertTrue(e.getMessage().contains("'price'") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void bigFilesGoOutPartByPartAndHoldAtMostOnePartInMemory() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<Integer> parts = new ArrayList<>();
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        int partBytes = 64 * 1024;
        ParquetFile file = new ParquetFile("k", target, new ParquetFile.Options(CompressionCodecName.UNCOMPRESSED,
            64 * 1024, 8 * 1024, partBytes), (bytes, length) -> {
                sent.write(bytes, 0, length);
                parts.add(length);
            });
        for (int i = 0; i < 20_000; i++) {
            Struct v = new Struct(SCHEMA).put("id", "id-" + i + "-" + "x".repeat(20)).put("ts", new Date(i))
                .put("n", (long) i);
            file.write(plan, record(SCHEMA, v, i), v);
            assertTrue(file.heldBytes() <= partBytes, "more than one part held");
        }
        file.close();
        assertTrue(parts.size() >= 3, "parts: " + parts);
        assertTrue(parts.stream().allMatch(p -> p == partBytes), "every part but the last is full: " + parts);
        sent.write(file.bytes().tailBytes());
        assertEquals(20_000L, ParquetReader.rows(sent.toByteArray(), "SELECT count(*) AS c FROM t").get(0).get("c"));
    }

    /**
     * Defect: a truncated file could be committed. Sequence: rows are written; {@code close()} starts writing the
     * last row group and the footer; the output fails part-way (here: the upload of a part); before the fix the file
     * was already marked closed, so a later commit uploaded the footerless bytes. Now the file is not complete and
     * its bytes cannot be taken.
     */
    @Test
    void aFileWhoseCloseFailsIsNeverComplete() throws Exception {
        MessageType target = ParquetSchemas.of(SCHEMA, List.of());
        RowWriter plan = RowWriter.of(SCHEMA, target, Map.of());
        ParquetFile file = new ParquetFile("k", target, new ParquetFile.Options(CompressionCodecName.UNCOMPRESSED,
            1 << 20, 8 * 1024, 16 * 1024), (bytes, length) -> {
                throw new UncheckedIOException(new IOException("injected: the disk is full"));
            });
        for (int i = 0; i < 5_000; i++) {
            Struct v = new Struct(SCHEMA).put("id", "id-" + i).put("ts", new Date(i)).put("n", (long) i);
            file.write(plan, record(SCHEMA, v, i), v);
        }
        assertThrows(RuntimeException.class, file::close);
        assertFalse(file.isComplete());
        assertThrows(IllegalStateException.class, file::bytes);
        file.close();
        assertFalse(file.isComplete(), "a second close does not make it complete");
    }

    @Test
    void theFileBufferKeepsWhatItWasGiven() {
        FileBuffer buffer = new FileBuffer(1 << 20, null);
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        try (var out = buffer.create(0)) {
            out.write(data, 0, 70_000);
            out.write(data, 70_000, 30_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertArrayEquals(data, buffer.tailBytes());
        assertEquals(100_000, buffer.length());
    }
}
