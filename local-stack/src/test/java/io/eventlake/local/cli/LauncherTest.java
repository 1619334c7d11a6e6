package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LauncherTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void helpAnywhereShowsTheUsageAndSucceeds() throws Exception {
        for (String[] argv : new String[][] {{"--help"}, {"-h"}, {"up", "--help"}, {"up", "--events", "5", "-h"},
            {"query", "--help"}}) {
            bytes.reset();
            assertEquals(0, Launcher.run(argv, out), String.join(" ", argv));
            assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("usage: eventlake up"), String.join(" ", argv));
        }
    }

    @Test
    void usageListsEveryOptionOfUp() {
        for (String option : UpCommand.OPTIONS) {
            assertTrue(Launcher.USAGE.contains("--" + option + " "), option);
        }
    }

    @Test
    void unknownOptionNamesItAndTheKnownOnesInOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Args(new String[] {"up", "--evnets", "5"}, 1, UpCommand.OPTIONS));
        assertEquals("unknown option '--evnets'; known: --config, --data, --events, --http-port, --lake, "
            + "--metrics-port, --plugin-zip, --rate, --set, --timeout, --topic-partitions", e.getMessage());
    }

    @Test
    void querySqlMayFollowTheOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Launcher.run(new String[] {"query", "--lake", "/nonexistent", "SELECT 1", "SELECT 2"}, out));
        assertTrue(e.getMessage().contains("one SQL statement"), e.getMessage());
    }
}
