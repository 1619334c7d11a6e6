package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.eventlake.local.stack.LakeStats;

/**
 * The S3 sink's layouts, rotations and types, through the plugin zip on a real worker, read back with DuckDB record
 * by record: field and daily partitions with Hive escaping, Kafka metadata columns, every Connect type and logical
 * type (JSON with schemas, as a producer would write them), an explicit null beside a default, field names Avro
 * rejects; rotation by records, by file bytes, by event time and by the wall clock on a quiet topic.
 */
class SinkLayoutsIT extends StackIT {

    /** 2026-11-25T13:00:00Z */
    private static final long T0 = 1_795_611_600_000L;

    private static final String RICH_SCHEMA = "{\"type\":\"struct\",\"name\":\"io.eventlake.Rich\",\"optional\":false,"
        + "\"fields\":["
        + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
        + "{\"field\":\"event_type\",\"type\":\"string\",\"optional\":false},"
        + "{\"field\":\"user-id\",\"type\":\"string\",\"optional\":false},"
        + "{\"field\":\"1st_visit\",\"type\":\"boolean\",\"optional\":false},"
        + "{\"field\":\"price\",\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"}},"
        + "{\"field\":\"birthday\",\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Date\","
        + "\"version\":1},"
        + "{\"field\":\"at\",\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Time\","
        + "\"version\":1},"
        + "{\"field\":\"event_time\",\"type\":\"int64\",\"optional\":false,"
        + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1},"
        + "{\"field\":\"ratio\",\"type\":\"float\",\"optional\":false},"
        + "{\"field\":\"small\",\"type\":\"int16\",\"optional\":false},"
        + "{\"field\":\"country\",\"type\":\"string\",\"optional\":true,\"default\":\"FR\"},"
        + "{\"field\":\"tags\",\"type\":\"array\",\"items\":{\"type\":\"string\",\"optional\":false},\"optional\":false},"
        + "{\"field\":\"scores\",\"type\":\"map\",\"keys\":{\"type\":\"string\",\"optional\":false},"
        + "\"values\":{\"type\":\"double\",\"optional\":false},\"optional\":false},"
        + "{\"field\":\"address\",\"type\":\"struct\",\"optional\":true,\"name\":\"Address\",\"fields\":["
        + "{\"field\":\"city\",\"type\":\"string\",\"optional\":false},"
        + "{\"field\":\"zip\",\"type\":\"int32\",\"optional\":true}]}]}";

    private static final String[] TYPES = {"purchase", "page view", "a/b=c"};

    private static String rich(int i) {
        // price 12.34 * i as unscaled bytes (base64 of the big-endian two's complement), as JsonConverter writes it.
        byte[] unscaled = BigDecimal.valueOf(1234L * i - 5000, 2).unscaledValue().toByteArray();
        String price = i % 5 == 0 ? "null" : "\"" + java.util.Base64.getEncoder().encodeToString(unscaled) + "\"";
        String country = i % 3 == 0 ? "null" : "\"DE\"";
        return "{\"schema\":" + RICH_SCHEMA + ",\"payload\":{\"id\":" + i + ",\"event_type\":\"" + TYPES[i % 3]
            + "\",\"user-id\":\"u" + i + "\",\"1st_visit\":" + (i % 2 == 0) + ",\"price\":" + price + ",\"birthday\":"
            + (20_000 + i % 2) + ",\"at\":" + (3_600_000 + i) + ",\"event_time\":" + (T0 + i * 3_600_000L)
            + ",\"ratio\":" + (i / 4.0) + ",\"small\":" + (i - 100) + ",\"country\":" + country + ",\"tags\":[\"t"
            + i + "\",\"x\"],\"scores\":{\"s\":" + (i * 0.5) + "},\"address\":" + (i % 4 == 0 ? "null"
            : "{\"city\":\"Lyon\",\"zip\":" + (69000 + i) + "}") + "}}";
    }

    private static void produce(String topic, List<String> values, List<String> keys) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("source", ("h" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, 0, null, keys == null ? null
                    : keys.get(i).getBytes(StandardCharsets.UTF_8), values.get(i).getBytes(StandardCharsets.UTF_8),
                    headers)).get();
            }
        }
    }

    private static Map<String, String> sink(String name, String topic, Map<String, String> extra) throws Exception {
        Map<String, String> c = new HashMap<>(stack.s3SinkSettings());
        c.put("connector.class", PluginZipPipelineIT.SINK);
        c.put("topics", topic);
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put("value.converter.replace.null.with.default", "false");
        c.putAll(extra);
        stack.connect().putConfig(name, c);
        return c;
    }

    private static void awaitRows(String topic, long rows) throws Exception {
        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        PluginZipPipelineIT.await(90, rows + " rows of " + topic, () -> {
            LakeStats.Snapshot s = lake.snapshot();
            return s.rows() >= rows && s.pendingFiles() == 0;
        });
    }

    private static List<Map<String, Object>> query(String topic, String sql) throws Exception {
        String glob = stack.bucketDir().resolve("topics").resolve(topic) + "/**/*.parquet";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE VIEW lake AS SELECT * FROM read_parquet('" + glob + "', hive_partitioning = true, "
                + "union_by_name = true, filename = true)");
            List<Map<String, Object>> rows = new ArrayList<>();
            try (var rs = st.executeQuery(sql)) {
                var md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new TreeMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static List<String> files(String topic) throws Exception {
        try (Stream<Path> walk = Files.walk(stack.bucketDir().resolve("topics").resolve(topic))) {
            return walk.filter(p -> p.toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."))
                .map(p -> stack.bucketDir().resolve("topics").resolve(topic).relativize(p).toString()).sorted()
                .toList();
        }
    }

    @Test
    void everyTypeAndLayoutLandsAsDuckDbReadsIt() throws Exception {
        String topic = "layouts-rich";
        stack.createTopic(topic, 1);
        int n = 90;
        List<String> values = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(rich(i));
            keys.add("k" + i);
        }
        produce(topic, values, keys);
        sink("layouts-rich-sink", topic, Map.of("partition.fields", "event_type",
            "partition.time.granularity", "day", "parquet.metadata.columns", "topic,partition,offset,key,headers",
            "flush.size", "30", "rotate.wallclock.interval.ms", "1000"));
        awaitRows(topic, n);

        assertTrue(files(topic).stream().allMatch(f -> f.matches("event_type=(purchase|page%20view|a%2Fb%3Dc)/"
            + "year=2026/month=(11|12)/day=\\d\\d/layouts-rich\\+0\\+\\d{20}\\+\\d+\\.parquet")), files(topic).toString());

        Map<String, Object> types = new TreeMap<>();
        query(topic, "SELECT column_name, column_type FROM (DESCRIBE lake)").forEach(r -> types.put(
            (String) r.get("column_name"), r.get("column_type")));
        assertEquals("DECIMAL(10,2)", types.get("price"));
        assertEquals("DATE", types.get("birthday"));
        assertEquals("TIME", types.get("at"));
        assertEquals("TIMESTAMP WITH TIME ZONE", types.get("event_time"));
        assertEquals("FLOAT", types.get("ratio"));
        assertEquals("SMALLINT", types.get("small"));
        assertEquals("VARCHAR[]", types.get("tags"));
        assertEquals("MAP(VARCHAR, DOUBLE)", types.get("scores"));
        assertEquals("STRUCT(city VARCHAR, zip INTEGER)", types.get("address"));
        assertEquals("MAP(VARCHAR, VARCHAR)", types.get("kafka_headers"));

        List<Map<String, Object>> rows = query(topic, "SELECT id, event_type, \"user-id\" AS u, \"1st_visit\" AS v, "
            + "price, birthday::VARCHAR AS d, epoch_ms(DATE '1970-01-01' + \"at\") AS t, epoch_ms(event_time) AS ms, ratio, small, country, "
            + "tags::VARCHAR AS tags, scores['s'] AS s, address.city AS city, address.zip AS zip, kafka_topic, "
            + "kafka_partition, kafka_offset, kafka_key, kafka_headers['source'] AS h FROM lake ORDER BY id");
        assertEquals(n, rows.size());
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = rows.get(i);
            assertEquals((long) i, r.get("id"));
            assertEquals(TYPES[i % 3], r.get("event_type"), "the Hive folder decodes back to the value");
            assertEquals("u" + i, r.get("u"));
            assertEquals(i % 2 == 0, r.get("v"));
            assertEquals(i % 5 == 0 ? null : BigDecimal.valueOf(1234L * i - 5000, 2), r.get("price"));
            assertEquals(i % 2 == 0 ? "2024-10-04" : "2024-10-05", r.get("d"));
            assertEquals(3_600_000L + i, ((Number) r.get("t")).longValue(), "milliseconds of the day");
            assertEquals(T0 + i * 3_600_000L, ((Number) r.get("ms")).longValue());
            assertEquals(i / 4.0f, ((Number) r.get("ratio")).floatValue());
            assertEquals(i - 100, ((Number) r.get("small")).intValue());
            assertEquals(i % 3 == 0 ? null : "DE", r.get("country"), "an explicit null is not the default");
            assertEquals("[t" + i + ", x]", r.get("tags"));
            assertEquals(i * 0.5, ((Number) r.get("s")).doubleValue());
            assertEquals(i % 4 == 0 ? null : "Lyon", r.get("city"));
            assertEquals(i % 4 == 0 ? null : 69000 + i, r.get("zip"));
            assertEquals(topic, r.get("kafka_topic"));
            assertEquals(0, r.get("kafka_partition"));
            assertEquals((long) i, r.get("kafka_offset"));
            assertEquals("k" + i, r.get("kafka_key"));
            assertEquals("h" + i, r.get("h"));
        }
    }

    private static List<String> simple(int n, long stepMs) {
        String schema = "{\"type\":\"struct\",\"name\":\"S\",\"optional\":false,\"fields\":["
            + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
            + "{\"field\":\"pad\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"event_time\",\"type\":\"int64\",\"optional\":false,"
            + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"schema\":" + schema + ",\"payload\":{\"id\":" + i + ",\"pad\":\"" + "p".repeat(100)
                + "\",\"event_time\":" + (T0 + i * stepMs) + "}}");
        }
        return out;
    }

    /** Row counts of the topic's files, in file-name (offset) order, and a check that every id landed once. */
    private static List<Long> rowsPerFile(String topic, int n) throws Exception {
        List<Map<String, Object>> all = query(topic, "SELECT count(*) AS c, count(DISTINCT id) AS d, min(id) AS lo, "
            + "max(id) AS hi FROM lake");
        assertEquals(Map.of("c", (long) n, "d", (long) n, "lo", 0L, "hi", (long) n - 1), all.get(0));
        List<Long> counts = new ArrayList<>();
        for (Map<String, Object> r : query(topic, "SELECT count(*) AS c FROM lake GROUP BY filename "
            + "ORDER BY min(id)")) {
            counts.add((Long) r.get("c"));
        }
        return counts;
    }

    @Test
    void rotationByRecordsBytesEventTimeAndTheWallClock() throws Exception {
        int n = 100;
        for (String t : List.of("rot-records", "rot-bytes", "rot-eventtime", "rot-quiet")) {
            stack.createTopic(t, 1);
        }
        produce("rot-records", simple(n, 1000), null);
        produce("rot-bytes", simple(n, 1000), null);
        produce("rot-eventtime", simple(n, 10_000), null);
        sink("rot-quiet-sink", "rot-quiet", Map.of("flush.size", "1000", "rotate.wallclock.interval.ms", "2000"));
        sink("rot-records-sink", "rot-records", Map.of("flush.size", "40", "rotate.wallclock.interval.ms", "3000"));
        sink("rot-bytes-sink", "rot-bytes", Map.of("flush.size", "1000", "rotate.file.bytes", "4000",
            "rotate.wallclock.interval.ms", "3000"));
        sink("rot-eventtime-sink", "rot-eventtime", Map.of("flush.size", "1000", "rotate.eventtime.interval.ms",
            "60000", "rotate.wallclock.interval.ms", "3000"));
        for (String t : List.of("rot-records", "rot-bytes", "rot-eventtime")) {
            awaitRows(t, n);
        }
        // The quiet topic's sink has long been running with nothing to read: 7 records, then nothing more.
        long produced = System.currentTimeMillis();
        produce("rot-quiet", simple(7, 1000), null);
        awaitRows("rot-quiet", 7);
        System.out.printf("rot-quiet: 7 records of a quiet topic queryable %,d ms after they were produced "
            + "(wall-clock interval 2,000 ms)%n", System.currentTimeMillis() - produced);
        assertEquals(List.of(40L, 40L, 20L), rowsPerFile("rot-records", n), "flush.size 40, then the wall clock");
        List<Long> bytes = rowsPerFile("rot-bytes", n);
        assertTrue(bytes.size() >= 4 && bytes.stream().allMatch(c -> c < 40), "files of ~4,000 bytes: " + bytes);
        List<Long> eventTime = rowsPerFile("rot-eventtime", n);
        assertTrue(eventTime.stream().allMatch(c -> c <= 6) && eventTime.size() >= 17,
            "records 10 s apart, a batch spans under 60 s of event time: " + eventTime);
        assertEquals(List.of(7L), rowsPerFile("rot-quiet", 7));
    }

    /**
     * Many open folders in a small heap still make one file per folder: the open files are spilled to the worker's
     * disk and assembled when they are finished (the plugin from its zip, without Hadoop, reads the segments back).
     * Sequence: 40,000 records of about 400 bytes, spread over 40 folders (partition.fields), are produced; the sink
     * (memory.budget.bytes 10 MiB, the smallest allowed with 5 MiB parts; flush.size and the wall clock far off) reads them all, the
     * budget is reached and the open files spilled, again and again; then the wall-clock interval passes and each
     * folder's file is assembled and uploaded. Every folder holds one file, and DuckDB reads every record back once,
     * with its payload.
     */
    @Test
    void aSmallMemoryBudgetSpillsOpenFilesAndEachFolderStillGetsOneFile() throws Exception {
        String topic = "spill";
        int n = 40_000;
        stack.createTopic(topic, 1);
        String schema = "{\"type\":\"struct\",\"name\":\"io.eventlake.Spill\",\"optional\":false,\"fields\":["
            + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
            + "{\"field\":\"g\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"payload\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"event_time\",\"type\":\"int64\",\"optional\":false,"
            + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String value = "{\"schema\":" + schema + ",\"payload\":{\"id\":" + i + ",\"g\":\"g" + (i % 40)
                    + "\",\"payload\":\"" + payload(i) + "\",\"event_time\":" + T0 + "}}";
                producer.send(new ProducerRecord<>(topic, 0, null, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        sink("spill-sink", topic, Map.of("partition.fields", "g", "flush.size", "1000000",
            "rotate.wallclock.interval.ms", "20000", "memory.budget.bytes", Long.toString(10L << 20),
            "s3.part.bytes", Integer.toString(5 << 20), "spill.dir", work.resolve("spill").toString()));
        awaitRows(topic, n);
        List<String> files = files(topic);
        assertEquals(40, files.size(), "one file per folder: " + files);
        List<Map<String, Object>> rows = query(topic, "SELECT id, g, payload FROM lake ORDER BY id");
        assertEquals(n, rows.size());
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals((long) i, ((Number) row.get("id")).longValue());
            assertEquals("g" + (i % 40), row.get("g"));
            assertEquals(payload(i), row.get("payload"), "record " + i);
        }
        stack.connect().delete("spill-sink");
    }

    /** About 360 characters that differ from record to record (so dictionaries do not shrink them away). */
    private static String payload(int i) {
        StringBuilder b = new StringBuilder();
        long x = i * 0x9E3779B97F4A7C15L;
        while (b.length() < 360) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.append(Long.toHexString(x));
        }
        return b.toString();
    }
}
