package io.eventlake.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A FAKE schema registry for tests and the peer harness's Avro round: the few calls of Apicurio Registry's v2 REST API that Apicurio's Kafka serdes
 * make when they auto-register a schema and look one up by global id, kept in memory. It stands in for a registry
 * server because none runs here (doc/docker.md: Confluent's is not on Maven Central, Apicurio 3's server needs Java
 * 21 and a Quarkus build). It checks nothing a real registry would (no compatibility rules, no canonical form);
 * every call it does not serve is answered 404 and recorded, so a test can tell when the converter asked for more.
 */
public final class ApicurioRegistryFake implements AutoCloseable {

    private static final String BASE = "/apis/registry/v2";
    private static final Pattern CREATE = Pattern.compile(BASE + "/groups/([^/]+)/artifacts");
    private static final Pattern BY_GLOBAL_ID = Pattern.compile(BASE + "/ids/globalIds/(\\d+)(/references)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** "group/artifactId" to its versions, oldest first. */
    private final Map<String, List<Version>> artifacts = new LinkedHashMap<>();
    private final List<Version> byGlobalId = new ArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    private record Version(String group, String artifactId, int version, long globalId, String content) {
    }

    private ApicurioRegistryFake(HttpServer server) {
        this.server = server;
    }

    public static ApicurioRegistryFake start() throws IOException {
        return start(0);
    }

    /** Serves on {@code port} of the loopback address (0: any free port). */
    public static ApicurioRegistryFake start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ApicurioRegistryFake fake = new ApicurioRegistryFake(server);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** What {@code apicurio.registry.url} must be set to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
    }

    /** The schemas registered, by "group/artifactId", each version's content in order. */
    public synchronized Map<String, List<String>> artifacts() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        artifacts.forEach((k, v) -> out.put(k, v.stream().map(Version::content).toList()));
        return out;
    }

    /** The schema of a global id, as a reader of the topic finds it. */
    public synchronized String schema(long globalId) {
        return byGlobalId.get((int) globalId - 1).content();
    }

    /** Requests this fake does not serve: a real registry might have answered them. */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = URI.create(exchange.getRequestURI().toString()).getPath();
            Matcher create = CREATE.matcher(path);
            Matcher byId = BY_GLOBAL_ID.matcher(path);
            if ("POST".equals(method) && create.matches()) {
                String content;
                try (InputStream in = exchange.getRequestBody()) {
                    content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String artifactId = exchange.getRequestHeaders().getFirst("X-Registry-ArtifactId");
                Version v = register(create.group(1), artifactId, content);
                respond(exchange, 200, "application/json", JSON.writeValueAsString(metaData(v)));
            } else if ("GET".equals(method) && byId.matches()) {
                Version v = version(Long.parseLong(byId.group(1)));
                if (v == null) {
                    respond(exchange, 404, "application/json", "{\"error_code\":404,\"message\":\"no such id\"}");
                } else if (byId.group(2) != null) {
                    respond(exchange, 200, "application/json", "[]");
                } else {
                    respond(exchange, 200, "application/json", v.content());
                }
            } else {
                unexpected.add(method + " " + exchange.getRequestURI());
                respond(exchange, 404, "application/json", "{\"error_code\":404,\"message\":\"not served by the "
                    + "test fake\"}");
            }
        }
    }

    /** As with ifExists=RETURN_OR_UPDATE: the version with this content if there is one, else a new version. */
    private synchronized Version register(String group, String artifactId, String content) {
        List<Version> versions = artifacts.computeIfAbsent(group + "/" + artifactId, k -> new ArrayList<>());
        for (Version v : versions) {
            if (v.content().equals(content)) {
                return v;
            }
        }
        Version v = new Version(group, artifactId, versions.size() + 1, byGlobalId.size() + 1, content);
        versions.add(v);
        byGlobalId.add(v);
        return v;
    }

    private synchronized Version version(long globalId) {
        return globalId >= 1 && globalId <= byGlobalId.size() ? byGlobalId.get((int) globalId - 1) : null;
    }

    private static ObjectNode metaData(Version v) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("groupId", v.group());
        meta.put("id", v.artifactId());
        meta.put("version", Integer.toString(v.version()));
        meta.put("type", "AVRO");
        meta.put("state", "ENABLED");
        meta.put("globalId", v.globalId());
        meta.put("contentId", v.globalId());
        return meta;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
        throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
