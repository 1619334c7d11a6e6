package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventlake.local.stack.ConnectRest;
import io.eventlake.local.stack.EmbeddedKafka;
import io.eventlake.local.stack.EmbeddedS3;
import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;
import io.eventlake.local.stack.PluginInstaller;
import io.eventlake.local.stack.StackPorts;
import io.eventlake.local.stack.WorkerEnvironment;

/**
 * The plugin zip on Connect workers of the oldest and the newest Kafka versions its manifest claims, each in a JVM
 * of its own with that version's jars (test-runtimes), configured from config/connect-distributed.properties and
 * given the S3 endpoint and keys in its process environment, as a user's worker would be. Every plugin of the zip
 * must load (before 4.1, every one but the transforms, which implement KIP-877's Monitorable), and a pipeline
 * through the generator, the fraud-flagging transform (from 4.1) and the sink must land in the lake record by
 * record. The build's own version (every other IT) is in between.
 */
class ConnectCompatibilityIT {

    private static final String FRAUD = "io.eventlake.transforms.fraud.FraudFlag$Value";
    private static final Pattern CLAIM = Pattern.compile("Apache Kafka Connect (\\d+\\.\\d+) to (\\d+\\.\\d+)");
    private static final Pattern TRANSFORMS_CLAIM = Pattern.compile("transforms need Connect (\\d+\\.\\d+)");

    @TempDir
    static Path work;
    static EmbeddedS3 s3;
    static io.eventlake.local.stack.EmbeddedCatalog catalog;
    static EmbeddedKafka kafka;
    static Path pluginPath;

    @BeforeAll
    static void startBrokerAndS3() throws Exception {
        s3 = new EmbeddedS3(work.resolve("lake"), freePort());
        s3.start(EmbeddedStack.BUCKET);
        catalog = io.eventlake.local.stack.EmbeddedCatalog.start(
            io.eventlake.local.stack.EmbeddedCatalog.dir(work.resolve("lake")), s3.endpoint(), freePort());
        int[] kafkaPorts = StackPorts.freePorts(2);
        kafka = new EmbeddedKafka(work.resolve("kafka"), kafkaPorts[0], kafkaPorts[1]);
        kafka.start();
        pluginPath = work.resolve("plugins");
        PluginInstaller.install(zip(), pluginPath);
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void theManifestClaimsTheVersionsTheseTestsRunOn() throws Exception {
        String requirements = manifest().path("requirements").toString();
        Matcher claim = CLAIM.matcher(requirements);
        assertTrue(claim.find(), "manifest.json states no Connect range: " + requirements);
        String oldest = runtimeVersion(lib("oldest"));
        String newest = runtimeVersion(lib("newest"));
        assertTrue(oldest.startsWith(claim.group(1) + "."), "claims " + claim.group(1) + " but tests " + oldest);
        assertTrue(newest.startsWith(claim.group(2) + "."), "claims " + claim.group(2) + " but tests " + newest);
        Matcher transforms = TRANSFORMS_CLAIM.matcher(requirements);
        assertTrue(transforms.find(), "manifest.json states no Connect version for the transforms: " + requirements);
        String oldestForTransforms = runtimeVersion(lib("oldest-transforms"));
        assertTrue(oldestForTransforms.startsWith(transforms.group(1) + "."), "claims " + transforms.group(1)
            + " for the transforms but tests " + oldestForTransforms);
        for (String tested : List.of(oldest, oldestForTransforms, newest)) {
            assertTrue(requirements.contains(tested), "manifest.json does not name the tested " + tested);
        }
    }

    /**
     * On the oldest version every plugin loads but the transforms that implement KIP-877's {@code Monitorable}
     * (Kafka 4.1+), and the pipeline runs without the transform; from the transforms' oldest version on, every
     * plugin loads and the pipeline runs through the fraud-flagging transform.
     */
    @ParameterizedTest(name = "{0} claimed version")
    @ValueSource(strings = {"oldest", "oldest-transforms", "newest"})
    void everyPluginLoadsAndAPipelineLandsInTheLake(String role) throws Exception {
        Path lib = lib(role);
        boolean withTransforms = !"oldest".equals(role);
        String version = runtimeVersion(lib);
        int port = freePort();
        Map<String, String> worker = shippedWorkerProperties();
        worker.put("bootstrap.servers", kafka.bootstrapServers());
        worker.put("plugin.path", pluginPath.toString());
        worker.put("listeners", "http://127.0.0.1:" + port);
        worker.put("rest.advertised.host.name", "127.0.0.1");
        worker.put("group.id", "compat-" + role);
        worker.put("config.storage.topic", "_compat-" + role + "-configs");
        worker.put("offset.storage.topic", "_compat-" + role + "-offsets");
        worker.put("status.storage.topic", "_compat-" + role + "-status");
        worker.put("offset.flush.interval.ms", "1000");
        Map<String, String> environment = Map.of(
            WorkerEnvironment.S3_ENDPOINT, s3.endpoint(),
            WorkerEnvironment.S3_ACCESS_KEY_ID, EmbeddedS3.ACCESS_KEY,
            WorkerEnvironment.S3_SECRET_ACCESS_KEY, EmbeddedS3.SECRET_KEY,
            WorkerEnvironment.TABLE_FORMAT, "iceberg",
            WorkerEnvironment.ICEBERG_CATALOG_URI, catalog.uri());

        try (ForkedWorker w = ForkedWorker.start(lib, worker, environment, work.resolve("worker-" + role),
            Duration.ofSeconds(120))) {
            ConnectRest rest = w.rest();
            assertEquals(version, Json.parse(rest.get("/")).path("version").asText(), "the worker's version");

            Set<String> missing = new TreeSet<>(zipPlugins());
            missing.removeAll(rest.pluginClasses());
            assertEquals(withTransforms ? Set.of() : monitorablePlugins(), missing, "plugins of the zip that Connect "
                + version + " did not load");

            String topic = "compat-" + role + "-tx";
            String reports = "compat-" + role + "-reports";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(reports, 1, (short) 1)))
                    .all().get();
            }
            int events = 3000;
            Map<String, String> generator = new HashMap<>();
            generator.put("connector.class", PluginZipPipelineIT.GENERATOR);
            generator.put("tasks.max", "1");
            generator.put("scenario", "transactions");
            generator.put("topic", topic);
            generator.put("fraud.reports.topic", reports);
            generator.put("events.per.second", "0");
            generator.put("max.events", Integer.toString(events));
            generator.put("exactly.once.support", "required");
            if (withTransforms) {
                generator.put("transforms", "fraud");
                generator.put("transforms.fraud.type", FRAUD);
                generator.put("transforms.fraud.predicate", "isTransaction");
                generator.put("transforms.fraud.feedback.topic", reports);
                generator.put("transforms.fraud.feedback.bootstrap.servers", kafka.bootstrapServers());
                generator.put("predicates", "isTransaction");
                generator.put("predicates.isTransaction.type",
                    "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
                generator.put("predicates.isTransaction.pattern", topic);
            }
            rest.putConfig("compat-generator", generator);
            // The shipped sink config, its ${env:...} resolved from this worker's process environment.
            Map<String, String> sink = new HashMap<>(ConfigFolder.connector("eventlake-s3-sink"));
            sink.put("topics", topic);
            sink.put("flush.size", "1000");
            sink.put("rotate.wallclock.interval.ms", "1000");
            sink.remove("errors.deadletterqueue.topic.name");
            rest.putConfig("compat-sink", sink);

            // The shipped sink writes an Iceberg table (through a REST catalog): rows of its committed snapshot.
            LakeStats lake = LakeStats.ofTables(catalog.catalog(), org.apache.iceberg.catalog.Namespace.of(
                "eventlake"));
            PluginZipPipelineIT.await(180, "the transactions in the lake on Connect " + version, () -> {
                for (String c : List.of("compat-generator", "compat-sink")) {
                    String failure = rest.failure(c);
                    if (failure != null) {
                        throw new AssertionError("on Connect " + version + ": " + failure);
                    }
                }
                return lake.snapshot().rowsOf(List.of(topic)) >= events;
            });
            JsonConverter converter = Topics.valueConverter();
            List<Struct> sent = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(kafka.bootstrapServers(), topic)) {
                sent.add((Struct) converter.toConnectData(topic, r.value()).value());
            }
            assertEquals(events, sent.size());
            if (withTransforms) {
                assertNotNull(sent.get(0).schema().field("fraud_score"), "the transform ran: " + sent.get(0)
                    .schema().fields());
            }
            LakeRecords.assertLandedOnce(work.resolve("lake").resolve(EmbeddedStack.BUCKET), topic,
                "transaction_id", sent);
        }
    }

    /** config/connect-distributed.properties as a map, to start a forked worker from. */
    static Map<String, String> shippedWorkerProperties() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(ConfigFolder.dir().resolve("connect-distributed.properties"))) {
            p.load(in);
        }
        Map<String, String> w = new HashMap<>();
        p.stringPropertyNames().forEach(k -> w.put(k, p.getProperty(k)));
        return w;
    }

    private static Path zip() {
        return ItStack.pluginZip();
    }

    private static Path lib(String role) {
        Path lib = Path.of(System.getProperty("eventlake.worker." + role + ".lib"));
        assertTrue(Files.isDirectory(lib), lib + " missing: build test-runtimes first");
        return lib;
    }

    /** The Kafka version of a worker classpath: that of its connect-runtime jar. */
    private static String runtimeVersion(Path lib) throws IOException {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.matches("connect-runtime-[\\d.]+\\.jar"))
                .map(n -> n.substring("connect-runtime-".length(), n.length() - ".jar".length())).findFirst()
                .orElseThrow(() -> new AssertionError("no connect-runtime jar in " + lib));
        }
    }

    private static JsonNode manifest() throws IOException {
        try (ZipFile z = new ZipFile(zip().toFile())) {
            ZipEntry entry = z.stream().filter(e -> e.getName().endsWith("/manifest.json")
                && e.getName().indexOf('/') == e.getName().length() - "/manifest.json".length()).findFirst()
                .orElseThrow(() -> new AssertionError("no manifest.json at the top of " + zip()));
            try (InputStream in = z.getInputStream(entry)) {
                return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Every class the zip's eventlake jars list in META-INF/services: what a worker must find. */
    private static Set<String> zipPlugins() throws IOException {
        Set<String> classes = new TreeSet<>();
        try (ZipFile z = new ZipFile(zip().toFile())) {
            for (ZipEntry jar : z.stream().filter(e -> e.getName().matches(".*/lib/eventlake-[^/]*\\.jar")).toList()) {
                try (ZipInputStream in = new ZipInputStream(z.getInputStream(jar))) {
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        if (e.getName().startsWith("META-INF/services/org.apache.kafka.")) {
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                                .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(classes::add);
                        }
                    }
                }
            }
        }
        assertTrue(classes.size() >= 3, "the zip's plugins: " + classes);
        return classes;
    }

    /**
     * The zip's plugins that implement KIP-877's {@code Monitorable}, an interface workers before Kafka 4.1 do not
     * have: read from the classes themselves, loaded (not initialized) from the zip's jars.
     */
    private static Set<String> monitorablePlugins() throws Exception {
        Path lib = pluginPath.resolve(zip().getFileName().toString().replaceFirst("\\.zip$", "")).resolve("lib");
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            for (Path jar : (Iterable<Path>) files::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        Set<String> monitorable = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(new URL[0]), ConnectCompatibilityIT.class.getClassLoader())) {
            for (String name : zipPlugins()) {
                if (Monitorable.class.isAssignableFrom(Class.forName(name, false, loader))) {
                    monitorable.add(name);
                }
            }
        }
        assertTrue(monitorable.contains(FRAUD), "the fraud transform is Monitorable: " + monitorable);
        return monitorable;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
