package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;

/**
 * {@code eventlake up --events N} in its own JVM, killed with SIGKILL mid-run, then run again on the same folders:
 * it must finish the same N events, and the lake must then hold exactly the topic's events, each once.
 */
class LauncherCrashRecoveryIT {

    private static final int EVENTS = 60_000;

    /** Kept when the test fails: the logs of both runs are in data/up.log and the *.log files. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private Process launch(Path log) throws Exception {
        String classpath = System.getProperty("eventlake.launcher.classes") + File.pathSeparator
            + Files.readString(Path.of(System.getProperty("eventlake.launcher.classpath.file"))).trim();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classpath,
            "io.eventlake.local.cli.Launcher", "up",
            "--events", Integer.toString(EVENTS), "--rate", "4000",
            "--lake", work.resolve("lake").toString(), "--data", work.resolve("data").toString(),
            "--config", System.getProperty("eventlake.config.dir"),
            "--plugin-zip", System.getProperty("eventlake.plugin.zip"), "--timeout", "120"));
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

        List<Map<String, Object>> counts = Lake.query(bucket, "events",
            "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM lake");
        assertEquals(Map.of("n", (long) EVENTS, "ids", (long) EVENTS), counts.get(0));

        // The lake holds exactly the events of the topic: none lost, none invented.
        Set<String> inLake = new HashSet<>();
        Lake.query(bucket, "events", "SELECT event_id FROM lake").forEach(r -> inLake.add((String) r.get("event_id")));
        Set<String> inTopic = new HashSet<>();
        try (EmbeddedStack stack = EmbeddedStack.builder(work.resolve("data"), work.resolve("lake")).build().start()) {
            JsonConverter converter = Topics.valueConverter();
            for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), "events")) {
                inTopic.add(((Struct) converter.toConnectData("events", r.value()).value()).getString("event_id"));
            }
        }
        assertEquals(EVENTS, inTopic.size(), "committed events in the topic");
        assertEquals(inTopic, inLake);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
