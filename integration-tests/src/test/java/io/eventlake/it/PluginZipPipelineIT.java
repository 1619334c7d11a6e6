package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.local.stack.LakeStats;

/**
 * The built plugin zip installed on a real Connect worker ({@code plugin.discovery=service_load}) beside a real
 * KRaft broker and S3 server: generator -> topic -> S3 Parquet sink -> lake, read back with DuckDB and checked
 * against the topic record by record.
 */
class PluginZipPipelineIT extends StackIT {

    static final String GENERATOR = "io.eventlake.connect.source.generator.EventGeneratorSourceConnector";
    static final String SINK = "io.eventlake.connect.sink.s3.S3ParquetSinkConnector";

    @Test
    void theZipHasTheHubLayoutAndNothingTheWorkerProvides() throws Exception {
        Path zip = ItStack.pluginZip();
        String top = "eventlake-kafka-connect-eventlake-" + System.getProperty("eventlake.version") + "/";
        List<String> entries;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            entries = z.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
        for (String required : List.of("manifest.json", "doc/config-reference.md", "doc/README.md",
            "etc/eventlake-s3-sink.json", "etc/eventlake-transactions.json", "etc/eventlake-cart.json", "etc/connect-distributed.properties")) {
            assertTrue(entries.contains(top + required), required + " missing from " + entries);
        }
        assertTrue(entries.stream().allMatch(e -> e.startsWith(top)), "one top folder: " + entries);
        List<String> jars = entries.stream().filter(e -> e.startsWith(top + "lib/") && e.endsWith(".jar"))
            .map(e -> e.substring((top + "lib/").length())).toList();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("eventlake-sink-connectors-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("eventlake-source-connectors-")), jars.toString());
        List<String> forbidden = jars.stream().filter(j -> j.matches(
            "(kafka-clients|connect-api|connect-runtime|connect-json|kafka_2\\.13|slf4j-api|hadoop-.*|log4j-.*)-.*"))
            .toList();
        assertEquals(List.of(), forbidden, "jars the worker provides, or Hadoop, in the plugin");
    }

    @Test
    void theWorkerFindsEveryPluginInTheZipAndOnlyThere() throws Exception {
        JsonNode plugins = stack.connect().connectorPlugins();
        Map<String, String> versions = new HashMap<>();
        plugins.forEach(p -> versions.put(p.get("class").asText(), p.get("version").asText()));
        String version = System.getProperty("eventlake.version");
        assertEquals(version, versions.get(GENERATOR), versions.toString());
        assertEquals(version, versions.get(SINK), versions.toString());
        // Isolation: the classes come from plugin.path, not from the worker's own classpath.
        assertThrows(ClassNotFoundException.class, () -> Class.forName(SINK));
    }

    @Test
    void everyGeneratedEventLandsExactlyOnceWithItsValuesTypesAndPartition() throws Exception {
        String topic = "it-events";
        int events = 20_000;
        stack.createTopic(topic, 3);
        Map<String, String> generator = new HashMap<>();
        generator.put("connector.class", GENERATOR);
        generator.put("tasks.max", "2");
        generator.put("topic", topic);
        generator.put("events.per.second", "0");
        generator.put("max.events", Integer.toString(events));
        generator.put("exactly.once.support", "required");
        stack.connect().putConfig("it-generator", generator);
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.put("connector.class", SINK);
        sink.put("tasks.max", "2");
        sink.put("topics", topic);
        sink.put("flush.size", "3000");
        sink.put("rotate.wallclock.interval.ms", "1000");
        stack.connect().putConfig("it-sink", sink);

        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        await(120, "all events in the lake", () -> {
            assertNoFailure("it-generator");
            assertNoFailure("it-sink");
            LakeStats.Snapshot s = lake.snapshot();
            return s.rows() >= events && s.pendingFiles() == 0;
        });

        // The topic as the sink saw it.
        JsonConverter converter = Topics.valueConverter();
        Map<String, Struct> sent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            Struct value = (Struct) converter.toConnectData(topic, r.value()).value();
            assertEquals(null, sent.put(value.getString("event_id"), value), "event id repeated in the topic");
        }
        assertEquals(events, sent.size());

        List<Map<String, Object>> types = Lake.query(stack.bucketDir(), topic,
            "SELECT column_name, column_type FROM (DESCRIBE lake) WHERE column_name IN ('amount', 'event_time')"
                + " ORDER BY column_name");
        assertEquals("DECIMAL(12,2)", types.get(0).get("column_type"));
        assertEquals("TIMESTAMP WITH TIME ZONE", types.get(1).get("column_type"));

        List<Map<String, Object>> rows = Lake.query(stack.bucketDir(), topic,
            "SELECT event_id, user_id, event_type, amount, epoch_ms(event_time) AS ms, year, month, day, hour, "
                + "filename FROM lake");
        assertEquals(events, rows.size(), "rows in the lake");
        for (Map<String, Object> row : rows) {
            Struct expected = sent.remove((String) row.get("event_id"));
            assertNotNull(expected, "row not in the topic, or landed twice: " + row);
            assertEquals(expected.getString("user_id"), row.get("user_id"));
            assertEquals(expected.getString("event_type"), row.get("event_type"));
            assertEquals((BigDecimal) expected.get("amount"), row.get("amount"));
            long ms = ((java.util.Date) expected.get("event_time")).getTime();
            assertEquals(ms, ((Number) row.get("ms")).longValue());
            ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC);
            assertEquals(List.of((long) t.getYear(), (long) t.getMonthValue(), (long) t.getDayOfMonth(),
                (long) t.getHour()), List.of(asLong(row.get("year")), asLong(row.get("month")), asLong(row.get("day")),
                asLong(row.get("hour"))));
            String file = Path.of((String) row.get("filename")).getFileName().toString();
            assertTrue(file.matches("it-events\\+[0-2]\\+\\d{20}\\+\\d+\\.parquet"), file);
        }
        assertTrue(sent.isEmpty(), sent.size() + " events of the topic are missing from the lake");
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueAndTheRestLands() throws Exception {
        String topic = "it-mixed";
        stack.createTopic(topic, 1);
        stack.createTopic("it-mixed-dlq", 1);
        String schema = "{\"type\":\"struct\",\"name\":\"E\",\"optional\":false,\"fields\":["
            + "{\"field\":\"id\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"event_time\",\"type\":\"int64\",\"optional\":true,"
            + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";
        List<String> values = List.of(
            "{\"schema\":" + schema + ",\"payload\":{\"id\":\"a\",\"event_time\":1722816000000}}",
            "{\"schema\":" + schema + ",\"payload\":{\"id\":\"no-time\",\"event_time\":null}}",
            "{\"schema\":null,\"payload\":\"just a string\"}",
            "{\"schema\":" + schema + ",\"payload\":{\"id\":\"b\",\"event_time\":1722819600000}}");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, null, v.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.put("connector.class", SINK);
        sink.put("topics", topic);
        sink.put("flush.size", "2");
        sink.put("rotate.wallclock.interval.ms", "500");
        sink.put("errors.tolerance", "all");
        sink.put("errors.deadletterqueue.topic.name", "it-mixed-dlq");
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");
        sink.put("errors.deadletterqueue.context.headers.enable", "true");
        stack.connect().putConfig("it-mixed-sink", sink);

        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        await(60, "good records in the lake", () -> {
            assertNoFailure("it-mixed-sink");
            return lake.snapshot().rows() >= 2 && lake.snapshot().pendingFiles() == 0;
        });
        await(60, "bad records in the dead letter queue",
            () -> Topics.readAll(stack.bootstrapServers(), "it-mixed-dlq").size() >= 2);

        assertEquals(List.of(Map.of("id", "a", "hour", 0L), Map.of("id", "b", "hour", 1L)),
            Lake.query(stack.bucketDir(), topic, "SELECT id, hour::BIGINT AS hour FROM lake ORDER BY id"));
        List<ConsumerRecord<byte[], byte[]>> dlq = Topics.readAll(stack.bootstrapServers(), "it-mixed-dlq");
        assertEquals(List.of(values.get(1), values.get(2)), dlq.stream()
            .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        String reason = new String(dlq.get(0).headers().lastHeader("__connect.errors.exception.message").value(),
            StandardCharsets.UTF_8);
        assertTrue(reason.contains("'event_time'") && reason.contains("it-mixed-0@1"), reason);
    }

    /** A Hive partition value: DuckDB types {@code hour=13} as a number but keeps {@code hour=01} a string. */
    private static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong((String) o);
    }

    private static void assertNoFailure(String connector) throws Exception {
        SinkHarness.assertNoFailure(stack, connector);
    }

    /** {@link SinkHarness#await}, by the name most ITs use. */
    static void await(int seconds, String what, Callable<Boolean> condition) throws Exception {
        SinkHarness.await(seconds, what, condition);
    }
}
