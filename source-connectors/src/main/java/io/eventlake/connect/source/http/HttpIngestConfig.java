package io.eventlake.connect.source.http;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;

import io.eventlake.common.config.Addresses;
import io.eventlake.common.config.Validators;
import io.eventlake.connect.source.http.event.EventReader;
import io.eventlake.connect.source.http.event.SchemaSpec;
import io.eventlake.connect.source.http.event.TimeParser;
import io.eventlake.connect.source.http.server.ServerSettings;
import io.eventlake.connect.source.http.server.Tls;

/** The HTTP ingest connector's configuration with typed accessors; cross-field rules are in {@link #problems()}. */
public final class HttpIngestConfig extends AbstractConfig {

    private static final String SERVER_GROUP = "HTTP server";
    private static final String EVENTS_GROUP = "Events";
    private static final String LIMITS_GROUP = "Limits and acknowledgement";
    private static final String SECURITY_GROUP = "Security";

    public static final String PORT_CONFIG = "http.port";
    private static final String PORT_DOC = "Port the first task listens on; task n listens on http.port + n, so "
        + "several tasks never collide on one worker. Put a load balancer in front of every worker on ports "
        + "http.port .. http.port + tasks.max - 1, health-checked on http.health.path: a task answers where it runs. "
        + "0 lets each task take a free port, which it logs (for tests).";
    public static final String BIND_ADDRESS_CONFIG = "http.bind.address";
    private static final String BIND_ADDRESS_DOC = "Address the server binds: 0.0.0.0 for every interface, 127.0.0.1 "
        + "for local clients only.";
    public static final String PATH_CONFIG = "http.path";
    private static final String PATH_DOC = "Path that takes POSTed events for the topic in 'topic'.";
    public static final String TOPIC_CONFIG = "topic";
    private static final String TOPIC_DOC = "Topic of the events POSTed to http.path.";
    public static final String ROUTES_CONFIG = "http.routes";
    private static final String ROUTES_DOC = "More paths, each with its own topic, as a list of path=topic (e.g. "
        + "/clicks=clicks,/orders=orders). They share the event settings below; run another connector for events of "
        + "another shape.";
    public static final String HEALTH_PATH_CONFIG = "http.health.path";
    private static final String HEALTH_PATH_DOC = "GET here answers 200 with the task's buffer state while it takes "
        + "events, 503 when it does not (stopping, paused, or not polled by Connect); no authentication.";
    public static final String THREADS_CONFIG = "http.threads";
    private static final String THREADS_DOC = "Requests per task checked and parsed at once (the CPU work), and the "
        + "threads that write answers. Reading a request takes a thread of its own (http.read.threads); a request "
        + "waiting for its acknowledgement holds none.";
    public static final String READ_THREADS_CONFIG = "http.read.threads";
    private static final String READ_THREADS_DOC = "Requests per task read at once, each on its own thread while its "
        + "head and body arrive. A slow client holds one of these, not one of http.threads, and for no longer than "
        + "http.read.timeout.ms; when all are busy, a new connection is closed at once (counted as "
        + "refused_connections on the health path). Threads beyond http.threads end after 30 s idle; one that waits "
        + "on a socket costs memory for its stack, no CPU. A few hundred slow clients then cost well-behaved ones "
        + "little; against thousands, put a proxy that buffers requests (nginx, an ALB) in front.";
    public static final String READ_TIMEOUT_CONFIG = "http.read.timeout.ms";
    private static final String READ_TIMEOUT_DOC = "Longest time a request may take to arrive, head and body, from "
        + "its first byte. A slower one is cut: its connection is closed and nothing of it is stored (counted as "
        + "cut_requests on the health path). The default lets a client send the largest request (10 MiB, "
        + "http.request.max.bytes) at 350 KB/s; a slow-loris client that trickles bytes holds its thread no longer.";

    public static final String SCHEMA_CONFIG = "event.schema";
    private static final String SCHEMA_DOC = "The events' fields as name:type pairs, e.g. 'order_id:string, "
        + "amount:decimal(12,2), placed_at:timestamp, note:string?'; a trailing ? makes a field optional. Types: "
        + "string, boolean, int8, int16, int32, int64, float32, float64, bytes (base64), timestamp, date (yyyy-MM-dd), "
        + "decimal(precision,scale), array<type>, map<type> (string keys), struct<fields>. Events become Structs of "
        + "this schema (what the S3 sink writes). Empty: events become schemaless maps (JSON numbers as int64 or "
        + "float64).";
    public static final String SCHEMA_NAME_CONFIG = "event.schema.name";
    private static final String SCHEMA_NAME_DOC = "Name of the value schema (e.g. com.example.Order); empty for none.";
    public static final String KEY_FIELD_CONFIG = "event.key.field";
    private static final String KEY_FIELD_DOC = "Top-level field whose value (a string, integer or boolean, as text) "
        + "is the record key, so events of one key stay in order on one partition; required in every event. Empty: "
        + "null keys.";
    public static final String TIME_FIELD_CONFIG = "event.time.field";
    private static final String TIME_FIELD_DOC = "Top-level field holding the event time, required in every event; "
        + "it becomes the record timestamp, and in a schema it must be a timestamp (or an int64 of epoch "
        + "milliseconds). Empty: the record timestamp is when the request arrived.";
    public static final String TIME_FORMAT_CONFIG = "event.time.format";
    private static final String TIME_FORMAT_DOC = "How event times (and every timestamp field) are written in JSON: "
        + "epoch_millis (a JSON integer), iso8601 (e.g. 2026-11-24T15:04:05.123Z or with an offset; without one, in "
        + "event.time.zone) or a java.time DateTimeFormatter pattern such as 'dd/MM/yyyy HH:mm:ss'.";
    public static final String TIME_ZONE_CONFIG = "event.time.zone";
    private static final String TIME_ZONE_DOC = "Zone of event times written without an offset.";
    public static final String UNKNOWN_FIELDS_CONFIG = "event.unknown.fields";
    private static final String UNKNOWN_FIELDS_DOC = "What to do with a field an event has and event.schema does not: "
        + "reject (answer 400; nothing is dropped silently) or ignore (drop the field).";
    public static final String DROPPED_POLICY_CONFIG = "event.dropped.policy";
    private static final String DROPPED_POLICY_DOC = "The answer when the worker drops some of a request's events "
        + "after the task handed them over: a transform filtered them, or converting or sending them failed under "
        + "errors.tolerance=all. Connect reports both alike (commitRecord without metadata). fail: answer 500 with "
        + "stored=partial and the counts, so no loss goes unnoticed; acknowledge: answer 200 with the number "
        + "dropped, for connectors that filter on purpose.";

    public static final String REQUEST_MAX_BYTES_CONFIG = "http.request.max.bytes";
    private static final String REQUEST_MAX_BYTES_DOC = "Largest request body; a larger one is answered 413 before it "
        + "is read (by its Content-Length) or as soon as it streams past the limit.";
    public static final String BUFFER_MAX_BYTES_CONFIG = "http.buffer.max.bytes";
    private static final String BUFFER_MAX_BYTES_DOC = "Memory bound of one task: the bodies of all requests being "
        + "read, queued or awaiting their acknowledgement together. A request that does not fit is answered 503 with "
        + "Retry-After, so clients back off when Kafka does not keep up.";
    public static final String ACK_TIMEOUT_CONFIG = "http.ack.timeout.ms";
    private static final String ACK_TIMEOUT_DOC = "Longest wait for a request's acknowledgement. Past it the request "
        + "is answered 503 if Connect had not taken it yet (nothing stored), else 504 (its events may still be "
        + "stored).";
    public static final String RETRY_AFTER_CONFIG = "http.retry.after.seconds";
    private static final String RETRY_AFTER_DOC = "Retry-After of 503 answers.";
    public static final String POLL_MAX_EVENTS_CONFIG = "poll.max.events";
    private static final String POLL_MAX_EVENTS_DOC = "Events one poll hands to Connect at most (whole requests; at "
        + "least one). With exactly-once support, one poll is one transaction.";

    public static final String BEARER_TOKEN_CONFIG = "http.auth.bearer.token";
    private static final String BEARER_TOKEN_DOC = "When set, requests must send 'Authorization: Bearer <token>': 401 "
        + "without it, 403 with another token.";
    public static final String HMAC_SECRET_CONFIG = "http.auth.hmac.secret";
    private static final String HMAC_SECRET_DOC = "When set, requests must be signed: the header named in "
        + "http.auth.hmac.header carries t=<unix seconds>,sha256=<hex HMAC-SHA256 with this secret of "
        + "'<t>.<request path>.' followed by the body>; 401 without it, 403 when it does not match or t is outside "
        + "http.auth.hmac.tolerance.seconds of the server's clock. Signing the time and the path means a captured "
        + "request cannot be replayed later, nor to another path.";
    public static final String HMAC_TOLERANCE_CONFIG = "http.auth.hmac.tolerance.seconds";
    private static final String HMAC_TOLERANCE_DOC = "How far a signature's time t may be from the server's clock, "
        + "either way (clock skew and transit); a captured request can be replayed only within it.";
    public static final String ALLOW_UNAUTHENTICATED_CONFIG = "http.auth.allow.unauthenticated";
    private static final String ALLOW_UNAUTHENTICATED_DOC = "The endpoint refuses to start on an address other than "
        + "loopback (127.0.0.1, ::1, localhost) without http.auth.bearer.token or http.auth.hmac.secret, since anyone "
        + "who reaches it could write to the topics. Set this to true to accept that on purpose (a private network, a "
        + "proxy that authenticates in front).";
    public static final String HMAC_HEADER_CONFIG = "http.auth.hmac.header";
    private static final String HMAC_HEADER_DOC = "Header of the body signature.";
    public static final String KEYSTORE_LOCATION_CONFIG = "http.ssl.keystore.location";
    private static final String KEYSTORE_LOCATION_DOC = "Key store (path on each worker) with the server's key and "
        + "certificate; when set the server speaks HTTPS only.";
    public static final String KEYSTORE_TYPE_CONFIG = "http.ssl.keystore.type";
    private static final String KEYSTORE_TYPE_DOC = "Type of the key store.";
    public static final String KEYSTORE_PASSWORD_CONFIG = "http.ssl.keystore.password";
    private static final String KEYSTORE_PASSWORD_DOC = "Password of the key store.";
    public static final String KEY_PASSWORD_CONFIG = "http.ssl.key.password";
    private static final String KEY_PASSWORD_DOC = "Password of the key; empty means the key store's.";

    /** Set by the connector for each task: its number, which offsets its port. Not for users. */
    static final String TASK_INDEX_CONFIG = "task.index";

    /** New requests are refused when Connect has not polled for this long: the connector is paused, or stuck. */
    static final long STALL_MS = 5_000;

    public static final ConfigDef CONFIG_DEF = configDef();

    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
        .define(TASK_INDEX_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW, "Number of this task.");

    private static ConfigDef configDef() {
        return new ConfigDef()
            .define(PORT_CONFIG, Type.INT, 8088, Range.between(0, 65535), Importance.HIGH, PORT_DOC, SERVER_GROUP, 1,
                Width.SHORT, "Port")
            .define(BIND_ADDRESS_CONFIG, Type.STRING, "0.0.0.0", Validators.of("an IP address or host name",
                a -> !a.isBlank(), "must not be empty"), Importance.MEDIUM, BIND_ADDRESS_DOC, SERVER_GROUP, 2,
                Width.MEDIUM, "Bind address")
            .define(PATH_CONFIG, Type.STRING, "/events", Validators.of("a path starting with /",
                HttpIngestConfig::isPath, "not a path: it must start with / and have no spaces, ? or #"),
                Importance.HIGH, PATH_DOC, SERVER_GROUP, 3, Width.MEDIUM, "Path")
            .define(TOPIC_CONFIG, Type.STRING, "http-events", Validators.of("a topic name", HttpIngestConfig::isTopic,
                "not a topic name (1-249 of a-z A-Z 0-9 . _ -)"), Importance.HIGH, TOPIC_DOC, SERVER_GROUP, 4,
                Width.MEDIUM, "Topic")
            .define(ROUTES_CONFIG, Type.LIST, "", new RoutesValidator(), Importance.MEDIUM, ROUTES_DOC, SERVER_GROUP,
                5, Width.LONG, "More routes")
            .define(HEALTH_PATH_CONFIG, Type.STRING, "/health", Validators.of("a path starting with /",
                HttpIngestConfig::isPath, "not a path: it must start with / and have no spaces, ? or #"),
                Importance.LOW, HEALTH_PATH_DOC, SERVER_GROUP, 6, Width.MEDIUM, "Health path")
            .define(THREADS_CONFIG, Type.INT, 4, Range.between(1, 256), Importance.LOW, THREADS_DOC, SERVER_GROUP, 7,
                Width.SHORT, "Threads")
            .define(READ_THREADS_CONFIG, Type.INT, 512, Range.between(1, 10_000), Importance.LOW, READ_THREADS_DOC,
                SERVER_GROUP, 8, Width.SHORT, "Read threads")
            .define(READ_TIMEOUT_CONFIG, Type.LONG, 30_000L, Range.between(100, 3_600_000), Importance.LOW,
                READ_TIMEOUT_DOC, SERVER_GROUP, 9, Width.SHORT, "Read timeout")

            .define(SCHEMA_CONFIG, Type.STRING, "", new ParsedBy("a field list such as 'id:string, "
                + "amount:decimal(12,2), at:timestamp', or empty", s -> {
                    if (!s.isBlank()) {
                        SchemaSpec.parse(s, null);
                    }
                }), Importance.HIGH, SCHEMA_DOC, EVENTS_GROUP, 1, Width.LONG, "Event schema")
            .define(SCHEMA_NAME_CONFIG, Type.STRING, "", Importance.LOW, SCHEMA_NAME_DOC, EVENTS_GROUP, 2,
                Width.MEDIUM, "Schema name")
            .define(KEY_FIELD_CONFIG, Type.STRING, "", Importance.MEDIUM, KEY_FIELD_DOC, EVENTS_GROUP, 3,
                Width.MEDIUM, "Key field")
            .define(TIME_FIELD_CONFIG, Type.STRING, "", Importance.MEDIUM, TIME_FIELD_DOC, EVENTS_GROUP, 4,
                Width.MEDIUM, "Event time field")
            .define(TIME_FORMAT_CONFIG, Type.STRING, TimeParser.ISO8601, new ParsedBy("epoch_millis, iso8601 or a "
                + "DateTimeFormatter pattern", f -> TimeParser.of(f, ZoneId.of("UTC"))), Importance.MEDIUM,
                TIME_FORMAT_DOC, EVENTS_GROUP, 5, Width.MEDIUM, "Event time format")
            .define(TIME_ZONE_CONFIG, Type.STRING, "UTC", Validators.timeZone(), Importance.LOW, TIME_ZONE_DOC,
                EVENTS_GROUP, 6, Width.SHORT, "Event time zone")
            .define(UNKNOWN_FIELDS_CONFIG, Type.STRING, "reject", ConfigDef.CaseInsensitiveValidString.in("reject",
                "ignore"), Importance.LOW, UNKNOWN_FIELDS_DOC, EVENTS_GROUP, 7, Width.SHORT, "Unknown fields")
            .define(DROPPED_POLICY_CONFIG, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("fail",
                "acknowledge"), Importance.LOW, DROPPED_POLICY_DOC, EVENTS_GROUP, 8, Width.SHORT, "Dropped events")

            .define(REQUEST_MAX_BYTES_CONFIG, Type.INT, 10 * 1024 * 1024, Range.between(1024, Integer.MAX_VALUE - 8),
                Importance.MEDIUM, REQUEST_MAX_BYTES_DOC, LIMITS_GROUP, 1, Width.SHORT, "Max request bytes")
            .define(BUFFER_MAX_BYTES_CONFIG, Type.LONG, 64L * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
                BUFFER_MAX_BYTES_DOC, LIMITS_GROUP, 2, Width.SHORT, "Max buffer bytes")
            .define(ACK_TIMEOUT_CONFIG, Type.LONG, 30_000L, Range.between(1, 3_600_000), Importance.MEDIUM,
                ACK_TIMEOUT_DOC, LIMITS_GROUP, 3, Width.SHORT, "Ack timeout")
            .define(RETRY_AFTER_CONFIG, Type.INT, 1, Range.between(0, 3600), Importance.LOW, RETRY_AFTER_DOC,
                LIMITS_GROUP, 4, Width.SHORT, "Retry-After")
            .define(POLL_MAX_EVENTS_CONFIG, Type.INT, 10_000, Range.between(1, 1_000_000), Importance.LOW,
                POLL_MAX_EVENTS_DOC, LIMITS_GROUP, 5, Width.SHORT, "Max events per poll")

            .define(BEARER_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, BEARER_TOKEN_DOC, SECURITY_GROUP, 1,
                Width.MEDIUM, "Bearer token")
            .define(HMAC_SECRET_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, HMAC_SECRET_DOC, SECURITY_GROUP, 2,
                Width.MEDIUM, "HMAC secret")
            .define(HMAC_HEADER_CONFIG, Type.STRING, "X-Eventlake-Signature", Validators.of("an HTTP header name",
                h -> h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "not an HTTP header name"), Importance.LOW,
                HMAC_HEADER_DOC, SECURITY_GROUP, 3, Width.MEDIUM, "HMAC header")
            .define(HMAC_TOLERANCE_CONFIG, Type.INT, 300, Range.between(1, 86_400), Importance.LOW,
                HMAC_TOLERANCE_DOC, SECURITY_GROUP, 3, Width.SHORT, "HMAC time tolerance")
            .define(ALLOW_UNAUTHENTICATED_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, ALLOW_UNAUTHENTICATED_DOC,
                SECURITY_GROUP, 3, Width.SHORT, "Allow unauthenticated")
            .define(KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Importance.MEDIUM, KEYSTORE_LOCATION_DOC,
                SECURITY_GROUP, 4, Width.LONG, "Key store")
            .define(KEYSTORE_TYPE_CONFIG, Type.STRING, "PKCS12", ConfigDef.CaseInsensitiveValidString.in("PKCS12",
                "JKS"), Importance.LOW, KEYSTORE_TYPE_DOC, SECURITY_GROUP, 5, Width.SHORT, "Key store type")
            .define(KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, KEYSTORE_PASSWORD_DOC,
                SECURITY_GROUP, 6, Width.MEDIUM, "Key store password")
            .define(KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, KEY_PASSWORD_DOC, SECURITY_GROUP, 7,
                Width.MEDIUM, "Key password");
    }

    /** @throws ConfigException naming the key and value of the first problem */
    public HttpIngestConfig(Map<String, String> props) {
        this(CONFIG_DEF, props, true);
    }

    private HttpIngestConfig(ConfigDef def, Map<String, String> props, boolean check) {
        super(def, props);
        List<ConfigException> problems = check ? problems() : List.of();
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    static HttpIngestConfig forTask(Map<String, String> props) {
        return new HttpIngestConfig(TASK_CONFIG_DEF, props, true);
    }

    /** Every cross-key problem of configs whose keys are each valid. */
    static List<ConfigException> problemsOf(Map<String, String> props) {
        return new HttpIngestConfig(CONFIG_DEF, props, false).problems();
    }

    private static boolean blank(org.apache.kafka.common.config.types.Password p) {
        return p == null || p.value().isEmpty();
    }

    /** Rules across keys, each naming its key and value. */
    List<ConfigException> problems() {
        List<ConfigException> problems = new ArrayList<>();
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put(path(), PATH_CONFIG);
        for (String route : getList(ROUTES_CONFIG)) {
            String path = route.substring(0, route.indexOf('=')).trim();
            if (paths.put(path, ROUTES_CONFIG) != null) {
                problems.add(new ConfigException(ROUTES_CONFIG, route, "path " + path + " is taken twice"));
            }
        }
        if (paths.containsKey(healthPath())) {
            problems.add(new ConfigException(HEALTH_PATH_CONFIG, healthPath(), "is also an ingest path"));
        }
        Schema schema = valueSchema();
        if (schema != null) {
            for (String key : List.of(KEY_FIELD_CONFIG, TIME_FIELD_CONFIG)) {
                String field = getString(key).trim();
                try {
                    if (key.equals(KEY_FIELD_CONFIG)) {
                        new EventReader(schema, field, "", timeParser(), true);
                    } else {
                        new EventReader(schema, "", field, timeParser(), true);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigException(key, field, e.getMessage()));
                }
            }
        }
        if (getInt(REQUEST_MAX_BYTES_CONFIG) > getLong(BUFFER_MAX_BYTES_CONFIG)) {
            problems.add(new ConfigException(REQUEST_MAX_BYTES_CONFIG, getInt(REQUEST_MAX_BYTES_CONFIG),
                "is larger than " + BUFFER_MAX_BYTES_CONFIG + " (" + getLong(BUFFER_MAX_BYTES_CONFIG) + "), so a "
                    + "request of that size could never be taken"));
        }
        String bind = getString(BIND_ADDRESS_CONFIG).trim();
        if (!Addresses.isLoopback(bind) && blank(getPassword(BEARER_TOKEN_CONFIG)) && blank(getPassword(HMAC_SECRET_CONFIG))
            && !getBoolean(ALLOW_UNAUTHENTICATED_CONFIG)) {
            problems.add(new ConfigException(BIND_ADDRESS_CONFIG, bind, "is not a loopback address and no "
                + "authentication is set: anyone who reaches it could write to the topics. Set "
                + BEARER_TOKEN_CONFIG + " or " + HMAC_SECRET_CONFIG + ", bind 127.0.0.1, or set "
                + ALLOW_UNAUTHENTICATED_CONFIG + "=true to accept an open endpoint on purpose"));
        }
        if (!keystoreLocation().isEmpty() && getPassword(KEYSTORE_PASSWORD_CONFIG) == null) {
            problems.add(new ConfigException(KEYSTORE_PASSWORD_CONFIG, "(empty)", "is required with "
                + KEYSTORE_LOCATION_CONFIG));
        }
        return problems;
    }

    public int port() {
        return getInt(PORT_CONFIG);
    }

    public String path() {
        return getString(PATH_CONFIG).trim();
    }

    public String topic() {
        return getString(TOPIC_CONFIG).trim();
    }

    public String healthPath() {
        return getString(HEALTH_PATH_CONFIG).trim();
    }

    /** Every ingest path with its topic, http.path first. */
    public Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put(path(), topic());
        for (String route : getList(ROUTES_CONFIG)) {
            int eq = route.indexOf('=');
            routes.putIfAbsent(route.substring(0, eq).trim(), route.substring(eq + 1).trim());
        }
        return routes;
    }

    /** The value schema, or null for schemaless events. */
    public Schema valueSchema() {
        String spec = getString(SCHEMA_CONFIG);
        return spec == null || spec.isBlank() ? null : SchemaSpec.parse(spec, getString(SCHEMA_NAME_CONFIG));
    }

    public TimeParser timeParser() {
        return TimeParser.of(getString(TIME_FORMAT_CONFIG), ZoneId.of(getString(TIME_ZONE_CONFIG).trim()));
    }

    public EventReader eventReader() {
        return new EventReader(valueSchema(), getString(KEY_FIELD_CONFIG).trim(), getString(TIME_FIELD_CONFIG).trim(),
            timeParser(), "ignore".equalsIgnoreCase(getString(UNKNOWN_FIELDS_CONFIG)));
    }

    public boolean keyed() {
        return !getString(KEY_FIELD_CONFIG).isBlank();
    }

    public int pollMaxEvents() {
        return getInt(POLL_MAX_EVENTS_CONFIG);
    }

    public long ackTimeoutMs() {
        return getLong(ACK_TIMEOUT_CONFIG);
    }

    private String keystoreLocation() {
        return getString(KEYSTORE_LOCATION_CONFIG).trim();
    }

    int taskIndex() {
        return getInt(TASK_INDEX_CONFIG);
    }

    /** The server settings of task {@code index}, which listens on http.port + index (or any free port for 0). */
    ServerSettings serverSettings(int index, String name) {
        return new ServerSettings(getString(BIND_ADDRESS_CONFIG).trim(), port() == 0 ? 0 : port() + index, routes(),
            healthPath(), getInt(THREADS_CONFIG), getInt(READ_THREADS_CONFIG), getLong(READ_TIMEOUT_CONFIG),
            getInt(REQUEST_MAX_BYTES_CONFIG), ackTimeoutMs(),
            getInt(RETRY_AFTER_CONFIG),
            STALL_MS, "acknowledge".equalsIgnoreCase(getString(DROPPED_POLICY_CONFIG)),
            getPassword(BEARER_TOKEN_CONFIG), getPassword(HMAC_SECRET_CONFIG), getString(HMAC_HEADER_CONFIG),
            getInt(HMAC_TOLERANCE_CONFIG),
            keystoreLocation().isEmpty() ? null : Tls.context(KEYSTORE_LOCATION_CONFIG, keystoreLocation(),
                getString(KEYSTORE_TYPE_CONFIG).toUpperCase(Locale.ROOT), getPassword(KEYSTORE_PASSWORD_CONFIG),
                getPassword(KEY_PASSWORD_CONFIG)), name);
    }

    static boolean isPath(String p) {
        return p.startsWith("/") && p.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#');
    }

    static boolean isTopic(String t) {
        return !t.isEmpty() && t.length() <= 249 && t.matches("[a-zA-Z0-9._-]+") && !t.equals(".") && !t.equals("..");
    }

    /** Valid when the parser takes the value; its message says what is wrong (e.g. where a schema breaks). */
    private static final class ParsedBy implements ConfigDef.Validator {
        private final String description;
        private final Consumer<String> parser;

        ParsedBy(String description, Consumer<String> parser) {
            this.description = description;
            this.parser = parser;
        }

        @Override
        public void ensureValid(String name, Object value) {
            try {
                parser.accept(value == null ? "" : value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Each entry path=topic with a valid path and topic. */
    private static final class RoutesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> routes = (List<String>) value;
            for (String route : routes) {
                int eq = route.indexOf('=');
                if (eq < 0 || !isPath(route.substring(0, eq).trim()) || !isTopic(route.substring(eq + 1).trim())) {
                    throw new ConfigException(name, route, "not path=topic (e.g. /clicks=clicks)");
                }
            }
        }

        @Override
        public String toString() {
            return "a list of path=topic, e.g. /clicks=clicks,/orders=orders";
        }
    }
}
