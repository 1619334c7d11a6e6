package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's ports: distinct, kept across restarts, and never one port for two listeners. */
class StackPortsTest {

    @TempDir
    Path dir;

    @Test
    void freePortsAreDistinctAndAvoidTheExcludedOnes() {
        int[] first = StackPorts.freePorts(3);
        Set<Integer> excluded = Arrays.stream(first).boxed().collect(Collectors.toSet());
        int[] ports = StackPorts.freePorts(20, excluded);
        assertEquals(20, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
        for (int port : ports) {
            assertFalse(excluded.contains(port), port + " was excluded");
        }
    }

    @Test
    void aRestartedStackListensOnTheSamePorts() {
        StackPorts first = StackPorts.loadOrChoose(dir);
        assertEquals(5, distinct(first));
        assertEquals(first, StackPorts.loadOrChoose(dir));
    }

    /**
     * A ports file that names one port twice (edited by hand, or written by a version that probed ports one by one
     * and got the same one back): the second listener gets another port, else the broker would refuse to start with
     * "two listeners on the same port".
     */
    @Test
    void aPortSavedTwiceIsGivenToTheFirstListenerOnly() throws Exception {
        int port = StackPorts.freePorts(1)[0];
        Properties saved = new Properties();
        saved.setProperty("broker", Integer.toString(port));
        saved.setProperty("controller", Integer.toString(port));
        try (OutputStream out = Files.newOutputStream(dir.resolve("ports.properties"))) {
            saved.store(out, null);
        }
        StackPorts ports = StackPorts.loadOrChoose(dir);
        assertEquals(port, ports.broker());
        assertEquals(5, distinct(ports), ports.toString());
    }

    private static long distinct(StackPorts p) {
        return Arrays.stream(new int[] {p.broker(), p.controller(), p.connect(), p.s3(), p.catalog()}).distinct().count();
    }
}
