package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, checked without a Docker engine (there is none on the build machines): every file, port,
 * image, endpoint and worker setting it names exists and agrees with the build and with config/. What only a
 * running stack can show is DockerStackIT's, where Docker runs.
 */
class DockerComposeFileIT {

    private static Path repo;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws IOException {
        repo = Path.of(System.getProperty("eventlake.repo.dir")).toAbsolutePath().normalize();
        try (Reader in = Files.newBufferedReader(repo.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
        assertNotNull(services, "docker-compose.yml has no services");
    }

    @Test
    void everyImageIsPinnedToARelease() {
        Pattern pinned = Pattern.compile("[\\w./-]+:(?!latest$)[\\w.-]*\\d[\\w.-]*");
        services.forEach((name, s) -> {
            String image = (String) s.get("image");
            assertNotNull(image, name + " has no image");
            assertTrue(pinned.matcher(image).matches(), name + ": image " + image + " is not pinned to a version");
        });
    }

    @Test
    void noTwoServicesPublishTheSameHostPort() {
        Map<String, String> owners = new HashMap<>();
        services.forEach((name, s) -> {
            for (Object p : list(s.get("ports"))) {
                String host = String.valueOf(p).split(":")[0];
                String other = owners.put(host, name);
                assertEquals(null, other, "host port " + host + " published by " + other + " and " + name);
            }
        });
        assertFalse(owners.isEmpty());
    }

    @Test
    void servicesWaitForTheHealthOrCompletionOfThoseTheyDependOn() {
        services.forEach((name, s) -> {
            for (Map.Entry<String, Object> d : map(s.get("depends_on")).entrySet()) {
                Map<String, Object> target = services.get(d.getKey());
                assertNotNull(target, name + " depends on the unknown service " + d.getKey());
                Object condition = map(d.getValue()).get("condition");
                if ("service_healthy".equals(condition)) {
                    assertNotNull(target.get("healthcheck"), name + " waits for " + d.getKey()
                        + " to be healthy, but it has no healthcheck");
                } else {
                    assertEquals("service_completed_successfully", condition, name + " -> " + d.getKey()
                        + ": a server is waited for with service_healthy, a one-shot job with "
                        + "service_completed_successfully");
                    assertEquals(null, target.get("ports"), d.getKey() + " is waited for to complete, but serves");
                }
            }
            if (!list(s.get("ports")).isEmpty()) {
                assertNotNull(s.get("healthcheck"), name + " serves ports but has no healthcheck");
            }
        });
    }

    @Test
    void theWorkerInstallsThePluginZipTheBuildProduces() {
        Path zip = ItStack.pluginZip().toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(zip), zip + " not built");
        Map<String, Object> install = services.get("install-plugin");
        Map<String, String> mounts = bindMounts(install);
        String distMount = mounts.entrySet().stream().filter(m -> repo.resolve(m.getKey()).normalize()
            .equals(zip.getParent())).map(Map.Entry::getValue).findFirst()
            .orElseThrow(() -> new AssertionError("install-plugin mounts no " + zip.getParent() + ": " + mounts));
        String command = String.join(" ", strings(install.get("entrypoint")));
        String glob = find(command, Pattern.compile("(" + Pattern.quote(distMount) + "/\\S+\\.zip)"));
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(
            Path.of(distMount).resolve(zip.getFileName())), glob + " does not match the built " + zip.getFileName());

        String pluginsVolume = find(String.join(" ", strings(install.get("volumes"))),
            Pattern.compile("(\\w+):/plugins"));
        Map<String, Object> connect = services.get("connect");
        String workerMount = strings(connect.get("volumes")).stream().filter(v -> v.startsWith(pluginsVolume + ":"))
            .map(v -> v.split(":")[1]).findFirst()
            .orElseThrow(() -> new AssertionError("connect does not mount the plugins volume " + pluginsVolume));
        List<String> pluginPath = List.of(env(connect).get("CONNECT_PLUGIN_PATH").split(","));
        assertTrue(pluginPath.contains(workerMount), workerMount + " not on the worker's plugin.path " + pluginPath);
        assertTrue(command.contains("-d /plugins"), "the zip is not unzipped onto the plugins volume: " + command);
    }

    @Test
    void theConnectorsItPutsAreTheConfigFolder() throws IOException {
        Map<String, Object> start = services.get("start-connectors");
        Map<String, String> mounts = bindMounts(start);
        String configMount = mounts.get("./config");
        assertNotNull(configMount, "start-connectors does not mount ./config: " + mounts);
        assertEquals(ConfigFolder.dir().toAbsolutePath().normalize(), repo.resolve("config"));
        String script = String.join(" ", strings(start.get("entrypoint")));
        assertTrue(script.contains("for f in " + configMount + "/*.json"), script);
        assertTrue(script.contains("http://connect:8083/connectors/$$name/config"), script);
        assertTrue(env(services.get("connect")).containsKey("CONNECT_BOOTSTRAP_SERVERS"));
        Map<String, Map<String, String>> connectors = ConfigFolder.connectors();
        assertFalse(connectors.isEmpty(), "no connector JSON in config/");
        connectors.forEach((name, c) -> assertNotNull(c.get("connector.class"), name + " has no connector.class"));
    }

    @Test
    void everyPlaceholderOfTheConfigFolderResolvesOnTheDockerWorker() throws IOException {
        Map<String, String> worker = workerProperties(env(services.get("connect")));
        assertTrue(List.of(worker.get("config.providers").split(",")).contains("env"), worker.toString());
        assertEquals("org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            worker.get("config.providers.env.class"));
        Pattern allowed = Pattern.compile(worker.get("config.providers.env.param.allowlist.pattern"));
        Map<String, String> variables = ConfigFolder.envVariables();
        assertFalse(variables.isEmpty(), "config/ names no ${env:...}");
        Map<String, String> env = env(services.get("connect"));
        variables.forEach((name, files) -> {
            assertTrue(env.containsKey(name), name + " (in " + files + ") is not set on the Docker worker");
            assertTrue(allowed.matcher(name).matches(), name + " (in " + files + ") is outside the allow-list "
                + allowed);
        });
    }

    @Test
    void theDockerWorkerIsConfiguredAsConnectDistributedProperties() throws IOException {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(repo.resolve("config/connect-distributed.properties"))) {
            shipped.load(in);
        }
        Map<String, String> worker = workerProperties(env(services.get("connect")));
        // Per stack, for a stated reason: the broker's address, the plugin folders and listener of the image, Avro
        // through the registry instead of JSON, and the image's default plugin discovery (the image's own plugins
        // in /usr/share/java, Confluent's converters among them, were not checked for ServiceLoader manifests).
        Set<String> perStack = Set.of("bootstrap.servers", "plugin.path", "listeners", "plugin.discovery",
            "key.converter", "value.converter", "key.converter.schemas.enable", "value.converter.schemas.enable",
            "value.converter.decimal.format");
        for (String key : new TreeSet<>(shipped.stringPropertyNames())) {
            if (!perStack.contains(key)) {
                assertEquals(shipped.getProperty(key), worker.get(key), key + " differs between "
                    + "config/connect-distributed.properties and the Docker worker");
            }
        }
        assertEquals("io.confluent.connect.avro.AvroConverter", worker.get("value.converter"));
    }

    @Test
    void theWorkersEndpointsNameServicesOfTheStackOnTheirPorts() {
        Map<String, String> connect = env(services.get("connect"));
        assertServes("kafka", connect.get("CONNECT_BOOTSTRAP_SERVERS"),
            env(services.get("kafka")).get("KAFKA_LISTENERS"));
        assertServes("schema-registry", connect.get("CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL"),
            env(services.get("schema-registry")).get("SCHEMA_REGISTRY_LISTENERS"));
        Map<String, Object> minio = services.get("minio");
        String endpoint = connect.get("EVENTLAKE_S3_ENDPOINT");
        assertEquals("minio:9000", hostPort(endpoint), "MinIO serves its API on 9000 (server " + minio.get("command")
            + ")");
        assertTrue(String.valueOf(minio.get("command")).startsWith("server "), "minio runs the server");
        Map<String, String> minioEnv = env(minio);
        assertEquals(minioEnv.get("MINIO_ROOT_USER"), connect.get("EVENTLAKE_S3_ACCESS_KEY_ID"));
        assertEquals(minioEnv.get("MINIO_ROOT_PASSWORD"), connect.get("EVENTLAKE_S3_SECRET_ACCESS_KEY"));
    }

    @Test
    void theBucketCreatedIsTheOneTheSinkWritesTo() throws IOException {
        String script = String.join(" ", strings(services.get("create-bucket").get("entrypoint")));
        String bucket = find(script, Pattern.compile("mc mb (?:--ignore-existing )?\\w+/([\\w.-]+)"));
        for (Map.Entry<String, Map<String, String>> c : ConfigFolder.connectors().entrySet()) {
            String sinkBucket = c.getValue().get("s3.bucket.name");
            if (sinkBucket != null) {
                assertEquals(sinkBucket, bucket, c.getKey() + " writes to a bucket the stack does not create");
            }
        }
        Map<String, String> minio = env(services.get("minio"));
        assertTrue(script.contains("http://minio:9000 " + minio.get("MINIO_ROOT_USER") + " "
            + minio.get("MINIO_ROOT_PASSWORD")), "mc logs in to the stack's MinIO: " + script);
    }

    @Test
    void everyHttpPortOfTheConfigFolderIsPublishedByTheWorker() throws IOException {
        List<String> published = strings(services.get("connect").get("ports"));
        for (Map.Entry<String, Map<String, String>> c : ConfigFolder.connectors().entrySet()) {
            String port = c.getValue().get("http.port");
            if (port != null) {
                assertTrue(published.contains(port + ":" + port), c.getKey() + " listens on " + port
                    + ", which the connect service does not publish: " + published);
            }
        }
    }

    /** The worker properties the Confluent image derives from CONNECT_* variables. */
    static Map<String, String> workerProperties(Map<String, String> env) {
        Map<String, String> w = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("CONNECT_")) {
                w.put(k.substring("CONNECT_".length()).toLowerCase(Locale.ROOT).replace("___", "-")
                    .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_'), v);
            }
        });
        return w;
    }

    private static void assertServes(String service, String address, String listeners) {
        String hostPort = hostPort(address);
        assertTrue(hostPort.startsWith(service + ":"), address + " does not name the service " + service);
        String port = hostPort.substring(hostPort.indexOf(':') + 1);
        assertTrue(listeners.matches(".*:" + port + "(,.*|$)"), service + " does not listen on " + port + ": "
            + listeners);
    }

    private static String hostPort(String address) {
        URI uri = URI.create(address.contains("://") ? address : "tcp://" + address);
        return uri.getHost() + ":" + uri.getPort();
    }

    private static String find(String text, Pattern p) {
        var m = p.matcher(text);
        assertTrue(m.find(), p + " not in: " + text);
        return m.group(1);
    }

    /** host path (as written) to container path. */
    private static Map<String, String> bindMounts(Map<String, Object> service) {
        Map<String, String> mounts = new HashMap<>();
        for (String v : strings(service.get("volumes"))) {
            String[] parts = v.split(":");
            if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                mounts.put(parts[0], parts[1]);
            }
        }
        return mounts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        map(service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<Object> list(Object o) {
        return o == null ? List.of() : new ArrayList<>((List<?>) o);
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }
}
