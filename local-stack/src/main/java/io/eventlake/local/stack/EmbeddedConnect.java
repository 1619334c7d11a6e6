package io.eventlake.local.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Connect worker in distributed mode. Plugins are found only on {@code plugin.path} by their
 * {@code META-INF/services} entries, as on a user's worker with {@code plugin.discovery=service_load}.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnect.class);
    /** Prefix of the worker's config, offset and status topics. */
    /** The worker group's id, unless a worker property overrides it; also the prefix of its transactional ids. */
    public static final String GROUP_ID = "eventlake-local";
    private static final String INTERNAL_TOPIC_PREFIX = "_eventlake-connect-";

    private final String bootstrapServers;
    private final Path pluginPath;
    private final int restPort;
    private final Map<String, String> overrides;
    private final Set<String> removed;
    private Connect<?> connect;

    public EmbeddedConnect(String bootstrapServers, Path pluginPath, int restPort, Map<String, String> overrides) {
        this(bootstrapServers, pluginPath, restPort, overrides, Set.of());
    }

    /** @param removed worker properties of the defaults below to leave out (so the worker's own defaults apply) */
    public EmbeddedConnect(String bootstrapServers, Path pluginPath, int restPort, Map<String, String> overrides,
                           Set<String> removed) {
        this.bootstrapServers = bootstrapServers;
        this.pluginPath = pluginPath;
        this.restPort = restPort;
        this.overrides = Map.copyOf(overrides);
        this.removed = Set.copyOf(removed);
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The worker properties, as a user would put them in connect-distributed.properties. */
    public Map<String, String> workerConfig() {
        Map<String, String> w = new HashMap<>();
        w.put("bootstrap.servers", bootstrapServers);
        w.put("group.id", GROUP_ID);
        w.put("config.storage.topic", INTERNAL_TOPIC_PREFIX + "configs");
        w.put("offset.storage.topic", INTERNAL_TOPIC_PREFIX + "offsets");
        w.put("status.storage.topic", INTERNAL_TOPIC_PREFIX + "status");
        w.put("config.storage.replication.factor", "1");
        w.put("offset.storage.replication.factor", "1");
        w.put("status.storage.replication.factor", "1");
        w.put("offset.storage.partitions", "5");
        w.put("status.storage.partitions", "3");
        w.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        w.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        w.put("key.converter.schemas.enable", "true");
        w.put("value.converter.schemas.enable", "true");
        w.put("value.converter.decimal.format", "NUMERIC");
        w.put("plugin.path", pluginPath.toAbsolutePath().toString());
        w.put("plugin.discovery", "service_load");
        w.put("listeners", restUrl());
        w.put("rest.advertised.host.name", "127.0.0.1");
        w.put("rest.advertised.port", Integer.toString(restPort));
        // Source records and their offsets commit in one transaction; sinks read committed data only.
        w.put("exactly.once.source.support", "enabled");
        w.put("consumer.isolation.level", "read_committed");
        // Bounds how long a transaction of a crashed task can hold back read_committed readers.
        w.put("producer.transaction.timeout.ms", "15000");
        w.put("offset.flush.interval.ms", "1000");
        // A restarted worker takes its tasks back at once instead of waiting for the departed one.
        w.put("scheduled.rebalance.max.delay.ms", "0");
        w.put("connector.client.config.override.policy", "All");
        // After a crash the dead sink consumer holds its partitions until its session expires: keep that short.
        w.put("consumer.session.timeout.ms", "10000");
        // ${env:NAME} in connector configs, as config/connect-distributed.properties sets it up, except that the
        // variables are the stack's (StackEnvConfigProvider) over the JVM's environment.
        w.put("config.providers", "env");
        w.put("config.providers.env.class", StackEnvConfigProvider.class.getName());
        w.put("config.providers.env.param.allowlist.pattern", WorkerEnvironment.ALLOWLIST);
        w.putAll(overrides);
        w.keySet().removeAll(removed);
        return w;
    }

    public void start(Duration timeout) throws Exception {
        connect = new ConnectDistributed().startConnect(workerConfig());
        try {
            awaitRest(timeout);
        } catch (Exception e) {
            close();
            throw e;
        }
        log.info("Connect worker ready at {}", restUrl());
    }

    private void awaitRest(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/connectors"))
            .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("the Connect REST API at " + restUrl() + " did not answer within " + timeout
            + (last == null ? "" : ": " + last));
    }

    @Override
    public void close() {
        if (connect != null) {
            connect.stop();
            try {
                // Wait for the herder, so the broker is not stopped under it.
                connect.herderTask().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("The Connect herder did not stop cleanly", e);
            }
            connect = null;
        }
    }
}
