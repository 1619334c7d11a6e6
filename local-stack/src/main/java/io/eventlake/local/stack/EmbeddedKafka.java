package io.eventlake.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/** A real single-node KRaft broker (combined broker and controller) whose log lives in a folder. */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    public EmbeddedKafka(Path logDir, int brokerPort, int controllerPort) {
        this(logDir, brokerPort, controllerPort, Map.of());
    }

    /** @param overrides broker properties that replace or add to the defaults below */
    public EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    public String bootstrapServers() {
        return bootstrapServers(brokerPort);
    }

    static String bootstrapServers(int brokerPort) {
        return "127.0.0.1:" + brokerPort;
    }

    public void start() throws Exception {
        Files.createDirectories(logDir);
        // Format once: an existing folder keeps its cluster id, so a restart continues where it stopped.
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
            log.info("Formatted a new KRaft log in {}", logDir);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(config(), false), Time.SYSTEM);
        server.startup();
    }

    private Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000");
        // The log cleaner's dedupe buffer is allocated on the heap at start-up: Kafka's default 128 MiB was the
        // largest object of the stack's one JVM (a heap dump of `up` in 768 MiB). The compacted topics here (Connect's
        // and the group coordinator's) hold a few thousand keys; 8 MiB maps 500,000.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
