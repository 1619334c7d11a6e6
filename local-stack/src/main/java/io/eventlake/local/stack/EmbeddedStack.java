package io.eventlake.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local stack in one JVM: a KRaft broker, a Connect distributed worker with the plugin installed from
 * its zip, and an S3 server whose bucket is a folder. All state lives under the data folder and the lake folder,
 * so a stack started again on the same folders continues where it stopped. The launcher, the integration tests
 * and the end-to-end bench all start the stack through this class.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final int WORKER_BIND_ATTEMPTS = 3;
    public static final String BUCKET = "eventlake";

    private final Path dataDir;
    private final Path lakeDir;
    private final Path pluginZip;
    /** Completed in {@link #start()} with the worker's environment, which needs the S3 server's port. */
    private volatile Map<String, String> workerOverrides;
    private final Set<String> workerRemovals;
    private final Map<String, String> brokerOverrides;
    private final Map<String, String> extraEnvironment;

    private StackPorts ports;
    private EmbeddedS3 s3;
    private EmbeddedCatalog catalog;
    private EmbeddedKafka kafka;
    private Path pluginPath;
    /** The running workers, the first one started first; the REST client talks to the first. */
    private final List<EmbeddedConnect> workers = new CopyOnWriteArrayList<>();
    private volatile ConnectRest rest;
    private long startMillis;

    private EmbeddedStack(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath();
        this.lakeDir = b.lakeDir.toAbsolutePath();
        this.pluginZip = b.pluginZip;
        this.workerOverrides = Map.copyOf(b.workerOverrides);
        this.workerRemovals = Set.copyOf(b.workerRemovals);
        this.brokerOverrides = Map.copyOf(b.brokerOverrides);
        this.extraEnvironment = Map.copyOf(b.environment);
    }

    public static Builder builder(Path dataDir, Path lakeDir) {
        return new Builder(dataDir, lakeDir);
    }

    /** Starts the S3 server, the broker and one worker; if a step fails, stops what it already started. */
    public EmbeddedStack start() throws Exception {
        try {
            return startAll();
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The JDK HTTP server reads this once per JVM, when its first server starts, and leaves Nagle's algorithm on
     * without it: every answer then waits for the client's delayed ACK (about 40 ms). The stack's catalog and metrics
     * endpoints start before the HTTP ingest connector, which sets it for itself, so the stack sets it first.
     */
    static final String HTTP_NO_DELAY = "sun.net.httpserver.nodelay";

    private EmbeddedStack startAll() throws Exception {
        long t0 = System.nanoTime();
        if (System.getProperty(HTTP_NO_DELAY) == null) {
            System.setProperty(HTTP_NO_DELAY, "true");
        }
        Files.createDirectories(dataDir);
        ports = StackPorts.loadOrChoose(dataDir);
        s3 = new EmbeddedS3(lakeDir, ports.s3());
        s3.start(BUCKET);
        catalog = EmbeddedCatalog.start(EmbeddedCatalog.dir(lakeDir), s3.endpoint(), ports.catalog());
        workerOverrides = withEnvironment(workerOverrides);
        kafka = new EmbeddedKafka(dataDir.resolve("kafka"), ports.broker(), ports.controller(), brokerOverrides);
        kafka.start();
        try (Admin admin = admin()) {
            DeadWorkerTransactions.abort(admin, workerOverrides.getOrDefault("group.id", EmbeddedConnect.GROUP_ID));
        }
        pluginPath = dataDir.resolve("plugins");
        if (pluginZip != null) {
            PluginInstaller.install(pluginZip, pluginPath);
        }
        EmbeddedConnect connect = startWorker(ports.connect());
        workers.add(connect);
        rest = new ConnectRest(connect.restUrl());
        startMillis = (System.nanoTime() - t0) / 1_000_000;
        log.info("eventlake local stack up in {} ms: Kafka {}, Connect {}, S3 {}", startMillis,
            kafka.bootstrapServers(), connect.restUrl(), s3.endpoint());
        return this;
    }

    /**
     * Starts one more distributed worker in this JVM, with the same config (group, internal topics, plugin path)
     * but its own REST port: it joins the cluster, and Connect spreads connectors and tasks over the workers.
     */
    public EmbeddedConnect addWorker() throws Exception {
        EmbeddedConnect worker = startWorker(StackPorts.freePort());
        workers.add(worker);
        log.info("Connect worker {} joined", worker.restUrl());
        return worker;
    }

    /**
     * Starts a worker whose REST server listens on {@code port}. A free port is only free when it was probed: until
     * the worker binds it, any socket of this machine may take it (an outgoing connection's ephemeral port, another
     * process), and Connect then fails with "Unable to initialize REST server" before it starts anything else. So a
     * bind failure is retried on another free port, up to {@value #WORKER_BIND_ATTEMPTS} times.
     */
    private EmbeddedConnect startWorker(int port) throws Exception {
        for (int attempt = 1; ; attempt++) {
            EmbeddedConnect worker = new EmbeddedConnect(kafka.bootstrapServers(), pluginPath, port, workerOverrides,
                workerRemovals);
            try {
                worker.start(Duration.ofSeconds(120));
                return worker;
            } catch (RuntimeException e) {
                if (attempt == WORKER_BIND_ATTEMPTS || !portTaken(e)) {
                    throw e;
                }
                int next = StackPorts.freePort();
                log.warn("Connect's REST port {} was taken before the worker could bind it; trying {}", port, next);
                port = next;
            }
        }
    }

    /** Whether {@code e} was caused by a port already in use. */
    static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops a worker in an orderly way (its tasks are stopped and the cluster rebalances them onto the others). The
     * REST client then talks to the first worker still running.
     */
    public void stopWorker(EmbeddedConnect worker) {
        if (workers.size() == 1 && workers.contains(worker)) {
            throw new IllegalStateException("the last worker is stopped with close()");
        }
        worker.close();
        workers.remove(worker);
        rest = new ConnectRest(workers.get(0).restUrl());
        log.info("Connect worker {} stopped", worker.restUrl());
    }

    /** The running workers, in the order they started. */
    public List<EmbeddedConnect> workers() {
        return List.copyOf(workers);
    }

    /** Wall-clock milliseconds {@link #start()} took. */
    public long startMillis() {
        return startMillis;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ConnectRest connect() {
        return rest;
    }

    public Map<String, String> workerConfig() {
        return workers.get(0).workerConfig();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    /** The workers' plugin.path, where the plugin zip was installed. */
    public Path pluginPath() {
        return pluginPath;
    }

    public Path lakeDir() {
        return lakeDir;
    }

    /** The folder that holds the bucket's objects as plain files. */
    public Path bucketDir() {
        return lakeDir.resolve(BUCKET);
    }

    /**
     * The settings a sink connector needs to reach this stack's S3 server, as in config/eventlake-s3-sink.json: the
     * endpoint and credentials are {@code ${env:NAME}} placeholders the worker resolves from
     * {@link #workerEnvironment()}, so the REST API and the config topic never hold the secret.
     */
    public Map<String, String> s3SinkSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("s3.bucket.name", BUCKET);
        s.put("s3.endpoint.url", WorkerEnvironment.placeholder(WorkerEnvironment.S3_ENDPOINT));
        s.put("s3.path.style.access", "true");
        s.put("s3.region", "us-east-1");
        s.put("aws.access.key.id", WorkerEnvironment.placeholder(WorkerEnvironment.S3_ACCESS_KEY_ID));
        s.put("aws.secret.access.key", WorkerEnvironment.placeholder(WorkerEnvironment.S3_SECRET_ACCESS_KEY));
        return s;
    }

    /**
     * The worker's environment that {@code ${env:NAME}} placeholders read, as the Docker stack's worker has it from
     * docker-compose.yml: this stack's S3 endpoint and credentials, and any variable given to
     * {@link Builder#workerEnv}.
     */
    public Map<String, String> workerEnvironment() {
        Map<String, String> env = new TreeMap<>();
        env.put(WorkerEnvironment.S3_ENDPOINT, s3.endpoint());
        env.put(WorkerEnvironment.S3_ACCESS_KEY_ID, EmbeddedS3.ACCESS_KEY);
        env.put(WorkerEnvironment.S3_SECRET_ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        env.put(WorkerEnvironment.KAFKA_BOOTSTRAP, EmbeddedKafka.bootstrapServers(ports.broker()));
        env.put(WorkerEnvironment.FRAUD_FEEDBACK_TOPIC, "fraud-reports");
        env.put(WorkerEnvironment.FRAUD_RESTORE_TOPIC, "transactions");
        env.put(WorkerEnvironment.HTTP_ALLOW_UNAUTHENTICATED, "true");
        env.put(WorkerEnvironment.TABLE_FORMAT, "iceberg");
        env.put(WorkerEnvironment.ICEBERG_CATALOG_URI, catalog.uri());
        env.putAll(extraEnvironment);
        return env;
    }

    private Map<String, String> withEnvironment(Map<String, String> overrides) {
        Map<String, String> w = new HashMap<>(WorkerEnvironment.workerProperties(workerEnvironment()));
        w.putAll(overrides);
        return Map.copyOf(w);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Creates the topic unless it exists. */
    public void createTopic(String name, int partitions) throws InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        }
    }

    public Set<String> topics() throws Exception {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        }
    }

    @Override
    public synchronized void close() throws Exception {
        // Connect first: it must not lose its broker while stopping tasks.
        for (int i = workers.size() - 1; i >= 0; i--) {
            workers.get(i).close();
        }
        workers.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (catalog != null) {
            catalog.close();
            catalog = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    /** The stack's Iceberg catalog (served over REST to the workers). */
    public EmbeddedCatalog catalog() {
        return catalog;
    }

    /** Whether a sink config (with {@code ${env:NAME}} as this stack's worker resolves them) writes Iceberg tables. */
    public boolean writesTables(Map<String, String> sinkConfig) {
        String format = sinkConfig.getOrDefault("table.format", "parquet");
        for (Map.Entry<String, String> e : workerEnvironment().entrySet()) {
            format = format.replace(WorkerEnvironment.placeholder(e.getKey()), e.getValue());
        }
        return "iceberg".equalsIgnoreCase(format.trim());
    }

    public static final class Builder {
        private final Path dataDir;
        private final Path lakeDir;
        private Path pluginZip;
        private final Map<String, String> workerOverrides = new HashMap<>();
        private final Set<String> workerRemovals = new HashSet<>();
        private final Map<String, String> brokerOverrides = new HashMap<>();
        private final Map<String, String> environment = new HashMap<>();

        private Builder(Path dataDir, Path lakeDir) {
            this.dataDir = dataDir;
            this.lakeDir = lakeDir;
        }

        /** The plugin archive to install on the worker's plugin.path before it starts. */
        public Builder pluginZip(Path zip) {
            this.pluginZip = zip;
            return this;
        }

        public Builder workerProperty(String key, String value) {
            workerOverrides.put(key, value);
            workerRemovals.remove(key);
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            brokerOverrides.put(key, value);
            return this;
        }

        /** Leaves a property of the stack's worker defaults out, so Connect's (or the client's) own default holds. */
        public Builder withoutWorkerProperty(String key) {
            workerOverrides.remove(key);
            workerRemovals.add(key);
            return this;
        }

        /** A variable of the worker's environment for {@code ${env:NAME}} (the name must match EVENTLAKE_*). */
        public Builder workerEnv(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public EmbeddedStack build() {
            return new EmbeddedStack(this);
        }
    }
}
