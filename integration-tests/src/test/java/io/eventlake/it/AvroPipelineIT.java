package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.tools.ConnectPluginPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.bench.peer.ApicurioRegistryFake;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;

/**
 * The Avro path end to end on the embedded stack. The generator's events are serialized by Apicurio Registry's
 * Avro converter (io.apicurio:apicurio-registry-utils-converter, from Maven Central) and read back by it for the
 * sink; the converter is installed on plugin.path as a plugin of its own, outside eventlake's zip, with Kafka's
 * {@code connect-plugin-path sync-manifests} adding the ServiceLoader manifests it lacks, as a user would.
 * <p>
 * No schema registry server runs on the build machines, so the converter talks to {@link ApicurioRegistryFake}, an
 * in-test FAKE of the registry's REST API: the converter, its serializers and HTTP client are real, the server is
 * not. The topic is decoded independently with Apache Avro and the registered schema, and compared with the lake
 * record by record.
 */
class AvroPipelineIT {

    static final String CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";

    @TempDir
    static Path work;
    static ApicurioRegistryFake registry;
    static EmbeddedStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        registry = ApicurioRegistryFake.start();
        Path data = work.resolve("data");
        installConverterPlugin(data.resolve("plugins").resolve("apicurio-avro-converter"));
        stack = ItStack.start(work);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** The converter's jars in a plugin folder of their own, plus the manifests Kafka's tool writes for them. */
    static void installConverterPlugin(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path lib = Path.of(System.getProperty("eventlake.apicurio.converter.lib"));
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ConnectPluginPath.mainNoExit(new String[] {"sync-manifests", "--plugin-location", dir.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "connect-plugin-path sync-manifests: " + out);
    }

    @Test
    void theConverterIsAPluginOfItsOwnOutsideTheZip() throws Exception {
        assertTrue(stack.connect().pluginClasses().contains(CONVERTER), "the worker did not load " + CONVERTER);
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CONVERTER), "not on the worker's classpath");
        try (ZipFile z = new ZipFile(ItStack.pluginZip().toFile())) {
            // Avro itself is in the zip since table mode (Iceberg's manifests are Avro files), isolated in the
            // plugin's class loader like every other library; no converter or registry client is.
            List<String> converters = z.stream().map(e -> e.getName())
                .filter(n -> n.contains("apicurio") || n.contains("converter") || n.contains("registry")).toList();
            assertEquals(List.of(), converters, "the plugin zip bundles no converter");
        }
    }

    @Test
    void everyEventTravelsAsAvroAndLandsWithItsValuesAndTypes() throws Exception {
        String topic = "avro-transactions";
        int events = 4000;
        stack.createTopic(topic, 2);
        Map<String, String> generator = new HashMap<>(avroConverter());
        generator.put("connector.class", PluginZipPipelineIT.GENERATOR);
        generator.put("tasks.max", "1");
        generator.put("scenario", "transactions");
        generator.put("topic", topic);
        generator.put("fraud.reports.topic", "");
        generator.put("fraud.labels.enabled", "true");
        generator.put("events.per.second", "0");
        generator.put("max.events", Integer.toString(events));
        stack.connect().putConfig("avro-generator", generator);
        Map<String, String> sink = new HashMap<>(stack.s3SinkSettings());
        sink.putAll(avroConverter());
        sink.put("connector.class", PluginZipPipelineIT.SINK);
        sink.put("topics", topic);
        sink.put("flush.size", "1500");
        sink.put("rotate.wallclock.interval.ms", "1000");
        stack.connect().putConfig("avro-sink", sink);

        LakeStats lake = new LakeStats(stack.bucketDir(), "topics/" + topic, "_eventlake/checkpoints");
        PluginZipPipelineIT.await(180, "the Avro events in the lake", () -> {
            for (String c : List.of("avro-generator", "avro-sink")) {
                String failure = stack.connect().failure(c);
                if (failure != null) {
                    throw new AssertionError(failure);
                }
            }
            LakeStats.Snapshot s = lake.snapshot();
            return s.rows() >= events && s.pendingFiles() == 0;
        });

        assertEquals(List.of(), registry.unexpectedRequests());
        List<String> versions = registry.artifacts().get("default/" + topic + "-value");
        assertNotNull(versions, "no schema registered for " + topic + ": " + registry.artifacts().keySet());
        assertEquals(1, versions.size(), "one schema for one event type");

        // The topic, decoded without the converter: Apicurio's wire format, then plain Avro.
        Map<String, GenericRecord> sent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            GenericRecord value = decode(r);
            assertEquals(null, sent.put(value.get("transaction_id").toString(), value), "id repeated");
        }
        assertEquals(events, sent.size());
        Schema schema = sent.values().iterator().next().getSchema();
        assertEquals(LogicalTypes.timestampMillis(), schema.getField("event_time").schema().getLogicalType());
        assertEquals("decimal", schema.getField("amount").schema().getLogicalType().getName());

        List<Map<String, Object>> types = Lake.query(stack.bucketDir(), topic, "SELECT column_name, column_type "
            + "FROM (DESCRIBE lake) WHERE column_name IN ('amount', 'event_time', 'latitude', 'fraud_label') "
            + "ORDER BY column_name");
        assertEquals(List.of("DECIMAL(12,2)", "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "DOUBLE"),
            types.stream().map(t -> t.get("column_type")).toList(), "amount, event_time, fraud_label, latitude");

        StringBuilder columns = new StringBuilder();
        for (Schema.Field f : schema.getFields()) {
            columns.append(columns.length() == 0 ? "" : ", ").append(isTimestamp(f) ? "epoch_ms(" + f.name() + ") AS "
                + f.name() : f.name());
        }
        List<Map<String, Object>> rows = Lake.query(stack.bucketDir(), topic, "SELECT " + columns + " FROM lake");
        assertEquals(events, rows.size());
        for (Map<String, Object> row : rows) {
            GenericRecord expected = sent.remove((String) row.get("transaction_id"));
            assertNotNull(expected, "row not in the topic, or landed twice: " + row);
            for (Schema.Field f : schema.getFields()) {
                assertEquals(plain(f, expected.get(f.name())), normalized(row.get(f.name())),
                    expected.get("transaction_id") + " " + f.name());
            }
        }
        assertTrue(sent.isEmpty(), sent.size() + " events missing from the lake");
    }

    private static Map<String, String> avroConverter() {
        return Map.of(
            "key.converter", "org.apache.kafka.connect.storage.StringConverter",
            "value.converter", CONVERTER,
            "value.converter.apicurio.registry.url", registry.url(),
            "value.converter.apicurio.registry.auto-register", "true");
    }

    /**
     * Apicurio's default wire format: the Avro binary as the value, the schema's global id (8 bytes) in the header
     * {@code apicurio.value.globalId}.
     */
    private static GenericRecord decode(ConsumerRecord<byte[], byte[]> record) throws IOException {
        Header id = record.headers().lastHeader("apicurio.value.globalId");
        assertNotNull(id, "no schema id header on " + record.topic() + "-" + record.partition() + "@"
            + record.offset());
        Schema schema = new Schema.Parser().parse(registry.schema(ByteBuffer.wrap(id.value()).getLong()));
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
            .binaryDecoder(record.value(), null));
    }

    private static boolean isTimestamp(Schema.Field f) {
        return LogicalTypes.timestampMillis().equals(nonNull(f.schema()).getLogicalType());
    }

    private static Schema nonNull(Schema s) {
        return s.getType() == Schema.Type.UNION
            ? s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow() : s;
    }

    /** An Avro value as a plain Java value comparable with what DuckDB returns. */
    private static Object plain(Schema.Field f, Object v) {
        if (v == null) {
            return null;
        }
        Schema s = nonNull(f.schema());
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new BigDecimal(new BigInteger(bytes), d.getScale()).stripTrailingZeros();
        }
        return normalized(v instanceof CharSequence ? v.toString() : v);
    }

    private static Object normalized(Object v) {
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros();
        }
        if (v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }
        return v;
    }
}
