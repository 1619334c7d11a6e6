package io.eventlake.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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
        StackPorts ports = new StackPorts(port(props, "broker"), port(props, "controller"), port(props, "connect"),
            port(props, "s3"), port(props, "catalog"));
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

    private static int port(Properties props, String name) {
        String saved = props.getProperty(name);
        if (saved != null && isFree(Integer.parseInt(saved))) {
            return Integer.parseInt(saved);
        }
        return freePort();
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
