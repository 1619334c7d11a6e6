package io.eventlake.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The loopback ports of a stack, chosen free on first start and kept in the data folder, so a restarted stack
 * listens where it did before (unless a port has been taken meanwhile).
 */
public record StackPorts(int broker, int controller, int connect, int s3, int catalog) {

    private static final String FILE = "ports.properties";

    public static StackPorts loadOrChoose(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        String[] names = {"broker", "controller", "connect", "s3", "catalog"};
        int[] chosen = new int[names.length];
        Set<Integer> taken = new HashSet<>();
        int fresh = 0;
        for (int i = 0; i < names.length; i++) {
            chosen[i] = saved(props, names[i], taken);
            if (chosen[i] == 0) {
                fresh++;
            }
        }
        int[] free = freePorts(fresh, taken);
        for (int i = 0, f = 0; i < names.length; i++) {
            if (chosen[i] == 0) {
                chosen[i] = free[f++];
            }
        }
        StackPorts ports = new StackPorts(chosen[0], chosen[1], chosen[2], chosen[3], chosen[4]);
        props.setProperty("broker", Integer.toString(ports.broker));
        props.setProperty("controller", Integer.toString(ports.controller));
        props.setProperty("connect", Integer.toString(ports.connect));
        props.setProperty("s3", Integer.toString(ports.s3));
        props.setProperty("catalog", Integer.toString(ports.catalog));
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "loopback ports of the eventlake local stack");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return ports;
    }

    /** The port saved under {@code name} if it is still free and not {@code taken} already (then added), else 0. */
    private static int saved(Properties props, String name, Set<Integer> taken) {
        String saved = props.getProperty(name);
        if (saved != null && isFree(Integer.parseInt(saved)) && taken.add(Integer.parseInt(saved))) {
            return Integer.parseInt(saved);
        }
        return 0;
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code n} distinct free loopback ports, none of them in {@code exclude}. Probing one port at a time can return
     * the same port twice (the system may hand a just-closed port out again), and a broker whose two listeners share a
     * port does not start; so every probe socket stays open until all {@code n} are chosen.
     */
    public static int[] freePorts(int n, Set<Integer> exclude) {
        List<ServerSocket> open = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; ) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                open.add(socket);
                if (!exclude.contains(socket.getLocalPort())) {
                    ports[i++] = socket.getLocalPort();
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a probe socket: nothing listens on it
                }
            }
        }
    }

    /** {@code n} distinct free loopback ports. */
    public static int[] freePorts(int n) {
        return freePorts(n, Set.of());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
