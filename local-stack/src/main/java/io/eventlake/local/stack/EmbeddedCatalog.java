package io.eventlake.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local stack's Iceberg catalog: a JDBC catalog on an H2 database file in the lake folder ({@code _catalog/}, so
 * tables survive a restart and travel with their files), served on loopback with the Iceberg REST catalog protocol. Workers reach it as any REST catalog (the
 * shipped sink config says {@code iceberg.catalog.type=rest}), and {@code ./eventlake query} reads through it while
 * the stack runs. Table metadata and data live in the stack's S3 server, under {@code s3://eventlake/warehouse} and
 * {@code topics/}. It serves the namespace and table routes a sink and a reader use; views, renames and
 * multi-table transactions are not served.
 */
public final class EmbeddedCatalog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedCatalog.class);
    /** The JDBC catalog's name in its database (the same whether opened here or by {@code query}). */
    public static final String NAME = "eventlake";
    public static final String WAREHOUSE = "s3://" + EmbeddedStack.BUCKET + "/warehouse";
    private static final String SEPARATOR = "%1F";

    /** The file in the catalog folder that holds the REST URI while the stack runs. */
    public static final String URI_FILE = "rest.uri";

    private final Catalog catalog;
    private final Path dir;
    private final HttpServer server;
    private final ExecutorService threads;
    private final ObjectMapper json;

    private EmbeddedCatalog(Catalog catalog, Path dir, HttpServer server, ExecutorService threads,
                            ObjectMapper json) {
        this.catalog = catalog;
        this.dir = dir;
        this.server = server;
        this.threads = threads;
        this.json = json;
    }

    /** The catalog folder of a lake folder. */
    public static Path dir(Path lakeDir) {
        return lakeDir.toAbsolutePath().resolve("_catalog");
    }

    /** The database URI of the catalog kept in {@code catalogDir}. */
    public static String jdbcUri(Path catalogDir) {
        // Lower-case identifiers: Iceberg's JDBC catalog looks its own columns up by their lower-case names.
        return "jdbc:h2:file:" + catalogDir.toAbsolutePath().resolve(NAME) + ";DATABASE_TO_LOWER=TRUE";
    }

    /**
     * Opens the catalog's database directly, with a FileIO of the given properties ({@code io-impl} and its
     * settings). Only one process may: while the stack runs, read through its REST URI instead.
     */
    public static Catalog open(Path catalogDir, Map<String, String> io) {
        Map<String, String> p = new HashMap<>(io);
        p.put("type", "jdbc");
        p.put("uri", jdbcUri(catalogDir));
        p.put("warehouse", WAREHOUSE);
        return CatalogUtil.buildIcebergCatalog(NAME, p, null);
    }

    /** The catalog this server serves. */
    public Catalog catalog() {
        return catalog;
    }

    /** Iceberg's S3FileIO settings for the stack's S3 server. */
    public static Map<String, String> s3Properties(String s3Endpoint) {
        Map<String, String> p = new HashMap<>();
        p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        p.put("http-client.type", "urlconnection");
        p.put("s3.endpoint", s3Endpoint);
        p.put("s3.path-style-access", "true");
        p.put("s3.access-key-id", EmbeddedS3.ACCESS_KEY);
        p.put("s3.secret-access-key", EmbeddedS3.SECRET_KEY);
        p.put("client.region", "us-east-1");
        return p;
    }

    /** Opens the catalog database in {@code catalogDir} and serves it on {@code 127.0.0.1:port}. */
    public static EmbeddedCatalog start(Path catalogDir, String s3Endpoint, int port) throws IOException {
        Files.createDirectories(catalogDir);
        Catalog catalog = open(catalogDir, s3Properties(s3Endpoint));
        ObjectMapper json = restMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "eventlake-catalog");
            t.setDaemon(true);
            return t;
        });
        EmbeddedCatalog c = new EmbeddedCatalog(catalog, catalogDir, server, threads, json);
        server.createContext("/v1/", c::handle);
        server.setExecutor(threads);
        server.start();
        Files.writeString(catalogDir.resolve(URI_FILE), c.uri());
        log.info("Iceberg REST catalog on {} ({})", c.uri(), jdbcUri(catalogDir));
        return c;
    }

    /** The JSON mapping of Iceberg's REST client (RESTObjectMapper's settings), for requests and responses. */
    static ObjectMapper restMapper() {
        ObjectMapper json = new ObjectMapper();
        json.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        json.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        json.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
        RESTSerializers.registerAll(json);
        return json;
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object response;
            try {
                response = route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange);
            } catch (RuntimeException e) {
                int code = code(e);
                if (code >= 500) {
                    log.warn("catalog request {} {} failed", exchange.getRequestMethod(),
                        exchange.getRequestURI(), e);
                }
                response = ErrorResponse.builder().responseCode(code).withType(e.getClass().getSimpleName())
                    .withMessage(String.valueOf(e.getMessage())).build();
                send(exchange, code, response);
                return;
            }
            send(exchange, response == null ? 204 : 200, response);
        }
    }

    private static int code(RuntimeException e) {
        if (e instanceof NoSuchTableException || e instanceof NoSuchNamespaceException || e instanceof NotFound) {
            return 404;
        }
        if (e instanceof AlreadyExistsException || e instanceof CommitFailedException) {
            return 409;
        }
        if (e instanceof IllegalArgumentException || e instanceof ValidationException) {
            return 400;
        }
        if (e instanceof CommitStateUnknownException) {
            return 500;
        }
        return 500;
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private void send(HttpExchange exchange, int code, Object body) throws IOException {
        if (body == null || "HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(code == 200 ? 204 : code, -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private <T> T body(HttpExchange exchange, Class<T> type) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return json.readValue(in, type);
        }
    }

    private Object route(String method, String rawPath, HttpExchange exchange) throws IOException {
        List<String> p = List.of(rawPath.replaceFirst("^/v1/", "").split("/"));
        SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
        if (p.size() == 1 && p.get(0).equals("config") && method.equals("GET")) {
            return ConfigResponse.builder().build();
        }
        if (!p.get(0).equals("namespaces")) {
            throw new NotFound("no route " + method + " " + rawPath);
        }
        if (p.size() == 1) {
            if (method.equals("GET")) {
                String parent = query(exchange, "parent");
                return CatalogHandlers.listNamespaces(namespaces, parent == null ? Namespace.empty()
                    : RESTUtil.decodeNamespace(parent, SEPARATOR));
            }
            if (method.equals("POST")) {
                return CatalogHandlers.createNamespace(namespaces, body(exchange, CreateNamespaceRequest.class));
            }
        }
        Namespace ns = RESTUtil.decodeNamespace(p.get(1), SEPARATOR);
        if (p.size() == 2) {
            switch (method) {
                case "GET":
                    return CatalogHandlers.loadNamespace(namespaces, ns);
                case "HEAD":
                    CatalogHandlers.namespaceExists(namespaces, ns);
                    return null;
                case "DELETE":
                    CatalogHandlers.dropNamespace(namespaces, ns);
                    return null;
                default:
                    break;
            }
        }
        if (p.size() >= 3 && p.get(2).equals("tables")) {
            if (p.size() == 3 && method.equals("GET")) {
                return CatalogHandlers.listTables(catalog, ns);
            }
            if (p.size() == 3 && method.equals("POST")) {
                CreateTableRequest request = body(exchange, CreateTableRequest.class);
                return request.stageCreate() ? CatalogHandlers.stageTableCreate(catalog, ns, request)
                    : CatalogHandlers.createTable(catalog, ns, request);
            }
            if (p.size() == 5 && p.get(4).equals("metrics") && method.equals("POST")) {
                // Scan and commit reports (the REST spec's reportMetrics): nothing keeps them here.
                exchange.getRequestBody().readAllBytes();
                return null;
            }
            if (p.size() == 4) {
                TableIdentifier id = TableIdentifier.of(ns, URLDecoder.decode(p.get(3), StandardCharsets.UTF_8));
                switch (method) {
                    case "GET":
                        return CatalogHandlers.loadTable(catalog, id, RESTCatalogProperties.SnapshotMode.ALL);
                    case "HEAD":
                        CatalogHandlers.tableExists(catalog, id);
                        return null;
                    case "POST":
                        return CatalogHandlers.updateTable(catalog, id, body(exchange, UpdateTableRequest.class));
                    case "DELETE":
                        CatalogHandlers.dropTable(catalog, id);
                        return null;
                    default:
                        break;
                }
            }
        }
        throw new NotFound("no route " + method + " " + rawPath);
    }

    private static String query(HttpExchange exchange, String name) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(dir.resolve(URI_FILE));
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", dir.resolve(URI_FILE), e.getMessage());
        }
        server.stop(0);
        threads.shutdownNow();
        if (catalog instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("cannot close the catalog: {}", e.getMessage());
            }
        }
    }
}
