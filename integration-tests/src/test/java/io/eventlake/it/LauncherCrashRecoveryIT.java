package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.local.query.LakeQuery;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;

/**
 * {@code eventlake up --events N} in its own JVM, killed with SIGKILL mid-run, then run again on the same folders:
 * it must finish the same N events (split among the generators of {@code config/}), and the lake must then hold
 * exactly each generated topic's events (fraud reports included), each once.
 */
class LauncherCrashRecoveryIT {

    private static final int EVENTS = 60_000;

    /** Kept when the test fails: the logs of both runs are in data/up.log and the *.log files. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;
    private final int httpPort = freePort();

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process launch(Path log) throws Exception {
        String classpath = System.getProperty("eventlake.launcher.classes") + File.pathSeparator
            + Files.readString(Path.of(System.getProperty("eventlake.launcher.classpath.file"))).trim();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classpath,
            "io.eventlake.local.cli.Launcher", "up",
            "--events", Integer.toString(EVENTS), "--rate", "4000",
            "--lake", work.resolve("lake").toString(), "--data", work.resolve("data").toString(),
            "--config", System.getProperty("eventlake.config.dir"),
            "--plugin-zip", System.getProperty("eventlake.plugin.zip"), "--timeout", "120",
            // config/ also runs the HTTP ingest connector: a free port, not the shared machine's 8088.
            "--http-port", Integer.toString(httpPort)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aKilledRunFinishesOnRestartWithEveryEventExactlyOnce() throws Exception {
        Path bucket = work.resolve("lake").resolve(EmbeddedStack.BUCKET);
        LakeStats lake = new LakeStats(bucket, "topics", "_eventlake/checkpoints");

        Path firstLog = work.resolve("first.log");
        Process first = launch(firstLog);
        long deadline = System.currentTimeMillis() + 120_000;
        while (lake.snapshot().rows() == 0) {
            assertTrue(first.isAlive(), () -> "the first run ended early (exit " + first.exitValue() + "):\n"
                + read(firstLog));
            assertTrue(System.currentTimeMillis() < deadline, () -> "nothing landed:\n" + read(firstLog));
            Thread.sleep(100);
        }
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        long landedBeforeCrash = lake.snapshot().rows();
        assertTrue(landedBeforeCrash < EVENTS, "the crash came too late to test anything: " + landedBeforeCrash);

        Path secondLog = work.resolve("second.log");
        Process second = launch(secondLog);
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), () -> "the second run did not end:\n" + read(secondLog));
        assertEquals(0, second.exitValue(), () -> read(secondLog));
        assertTrue(read(secondLog).contains("Done: 60,000 events"), () -> read(secondLog));

        // Every generated topic: the lake holds exactly its committed events, none lost, none twice, none invented.
        // config/ routes the events its generators make invalid on purpose to <topic>-quarantine: those count too.
        Map<String, String> idField = new TreeMap<>(Map.of("clickstream", "event_id", "cart", "event_id",
            "transactions", "transaction_id", "fraud-reports", "report_id", "sensors", "event_id"));
        new ArrayList<>(idField.entrySet()).forEach(e -> idField.put(e.getKey() + "-quarantine", e.getValue()));
        long quarantined = 0;
        long events = 0;
        // The lake is what the tables' current snapshots hold: files the killed run uploaded but never committed
        // are in the folders and in no snapshot.
        try (EmbeddedStack stack = EmbeddedStack.builder(work.resolve("data"), work.resolve("lake")).build().start();
             LakeQuery tables = LakeQuery.open(work.resolve("lake"), EmbeddedStack.BUCKET, "topics")) {
            assertTrue(tables.fromTables(), "the shipped sink writes Iceberg tables");
            JsonConverter converter = Topics.valueConverter();
            for (Map.Entry<String, String> topic : idField.entrySet()) {
                String field = topic.getValue();
                List<String> inLake = new ArrayList<>();
                if (!tables.tables().contains(topic.getKey())) {
                    assertEquals(List.of(), Topics.readAll(stack.bootstrapServers(), topic.getKey()),
                        topic.getKey() + " has records but no table in the lake");
                    continue;
                }
                tables.rows("SELECT " + field + " FROM \"" + topic.getKey() + "\"")
                    .forEach(r -> inLake.add((String) r[0]));
                Set<String> inTopic = new HashSet<>();
                for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic.getKey())) {
                    Struct value = (Struct) converter.toConnectData(topic.getKey(), r.value()).value();
                    assertTrue(inTopic.add(value.getString(field)), "id twice in " + topic.getKey());
                }
                assertEquals(inTopic.size(), inLake.size(), topic.getKey() + ": rows in the lake");
                assertEquals(inTopic, new HashSet<>(inLake), topic.getKey() + ": ids in the lake");
                if (!topic.getKey().startsWith("fraud-reports")) {
                    events += inTopic.size();
                }
                if (topic.getKey().endsWith("-quarantine")) {
                    quarantined += inTopic.size();
                }
            }
        }
        assertEquals(EVENTS, events, "committed events over all generated topics, quarantine included");
        // config/ sets invalid.events.share=0.01: some, but not many, of the 60,000.
        assertTrue(quarantined > 0 && quarantined < EVENTS / 20, "quarantined: " + quarantined);

        // The README's queries run on this lake and find rows (fraud flags per hour, revenue per product,
        // quarantine reasons): every SQL statement of its "Query the lake" section's first block.
        String readme = Files.readString(ConfigFolder.dir().resolve("..").resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Query the lake"));
        String block = section.substring(section.indexOf("```sql\n") + 7, section.indexOf("```", section.indexOf(
            "```sql\n") + 7));
        List<String> statements = Arrays.stream(block.split(";\\s*\n")).map(String::strip)
            .filter(q -> !q.isEmpty()).toList();
        assertEquals(3, statements.size(), block);
        try (LakeQuery query = LakeQuery.open(work.resolve("lake"), EmbeddedStack.BUCKET, "topics")) {
            for (String sql : statements) {
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                int rows = query.print(sql.replaceAll("(?m)^--.*$", ""), new PrintStream(printed, true,
                    StandardCharsets.UTF_8), false);
                assertTrue(rows > 0, "no rows for the README's\n" + sql);
                assertFalse(printed.toString(StandardCharsets.UTF_8).contains("NULL"), printed::toString);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
