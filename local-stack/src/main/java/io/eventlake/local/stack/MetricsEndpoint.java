package io.eventlake.local.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.sun.net.httpserver.HttpServer;

/**
 * Connect's and eventlake's metrics in the Prometheus text format, read from the JVM's MBeans on each scrape:
 * every numeric attribute of the {@code kafka.connect} (workers, connectors, tasks, and the plugins' own metrics:
 * the sink's files and bytes, the transforms' validated, quarantined and flagged counts), {@code kafka.consumer} and
 * {@code kafka.producer} domains, as {@code <domain>_<type>_<attribute>{<the MBean's other keys>}} gauges. Serves
 * {@code GET /metrics} on 127.0.0.1.
 */
public final class MetricsEndpoint implements AutoCloseable {

    static final List<String> DOMAINS = List.of("kafka.connect", "kafka.consumer", "kafka.producer");

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    public static MetricsEndpoint start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new MetricsEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The current metrics in the Prometheus text format, one gauge family per metric name. */
    public static String scrape() {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Map<String, StringBuilder> families = new TreeMap<>();
        for (String domain : DOMAINS) {
            Set<ObjectName> names;
            try {
                names = mbeans.queryNames(new ObjectName(domain + ":*"), null);
            } catch (javax.management.MalformedObjectNameException e) {
                throw new IllegalStateException(e);
            }
            for (ObjectName name : names) {
                try {
                    for (MBeanAttributeInfo attr : mbeans.getMBeanInfo(name).getAttributes()) {
                        Object v = mbeans.getAttribute(name, attr.getName());
                        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())
                            || Double.isInfinite(n.doubleValue())) {
                            continue;
                        }
                        String metric = sanitize(domain + "_" + name.getKeyProperty("type") + "_" + attr.getName());
                        families.computeIfAbsent(metric, m -> new StringBuilder("# TYPE " + m + " gauge\n"))
                            .append(metric).append(labels(name)).append(' ').append(n.doubleValue()).append('\n');
                    }
                } catch (javax.management.JMException | RuntimeException e) {
                    // An MBean that went away while scraping (a task stopped): skip it.
                }
            }
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    private static String labels(ObjectName name) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(name.getKeyPropertyList()).forEach((k, v) -> {
            if (!k.equals("type")) {
                b.append(b.length() == 0 ? "{" : ",").append(sanitize(k)).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return b.length() == 0 ? "" : b.append('}').toString();
    }

    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return b.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
