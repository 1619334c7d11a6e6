package io.eventlake.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;
import io.eventlake.local.stack.MetricsEndpoint;
import io.eventlake.local.stack.PluginCounters;
import io.eventlake.local.stack.WorkerEnvironment;

/**
 * {@code eventlake up}: starts the local stack, installs the plugin from its zip, PUTs the config folder's
 * connectors and shows progress. With {@code --events N} it stops by itself once N events are in the lake.
 */
final class UpCommand {

    static final Set<String> OPTIONS = Set.of("events", "lake", "data", "rate", "config", "plugin-zip", "timeout",
        "topic-partitions", "http-port", "metrics-port", "set");

    /** Set by the shutdown hook (Ctrl-C, SIGTERM): the stack is being stopped, failures after it are expected. */
    private static volatile boolean stopping;

    private static final long REPORT_EVERY_MS = 2000;

    private final PrintStream out;

    // The run's options and the connectors of its config folder, set once by run().
    private Args args;
    private long events;
    private long stallTimeoutMs;
    private int partitions;

    /** From this many partitions per topic, the worker's clients get {@link #manyPartitionSettings()}. */
    static final int MANY_PARTITIONS = 100;

    /**
     * Client settings of the local worker for topics of many partitions. A producer keeps a batch buffer of
     * {@code batch.size} per partition it writes to, and keeps them pooled up to {@code buffer.memory}: with 1,000
     * partitions per topic every source task's producer pinned its whole 32 MiB (255 MB of byte arrays in a 768 MiB
     * heap, then back-to-back full collections); 4 KiB batches and 8 MiB per producer hold what a few events per
     * partition and poll need. A transaction then spans hundreds of partitions, which a loaded broker registers
     * slowly: the stack's 15 s transaction timeout (short, so that a killed worker's transactions do not hold back
     * readers for long) becomes Kafka's default 60 s. A sink consumer's fetch response (up to 50 MB by default)
     * stays on the heap while any of its partitions' records is not consumed: 8 MiB.
     */
    static final int MANY_PARTITIONS_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final long MANY_PARTITIONS_SINK_BUDGET = 32L * 1024 * 1024;

    static Map<String, String> manyPartitionSettings() {
        return Map.of("producer.batch.size", "4096", "producer.buffer.memory", "8388608",
            "producer.transaction.timeout.ms", "60000", "consumer.fetch.max.bytes", "8388608");
    }
    /** Worker and broker settings the stack gets on top of its own. */
    record StackTuning(Map<String, String> worker, Map<String, String> broker) {
    }

    /**
     * What the stack needs for {@code partitions} per topic: nothing below {@link #MANY_PARTITIONS}; from there the
     * worker's clients get {@link #manyPartitionSettings()}, the broker takes messages of
     * {@link #MANY_PARTITIONS_MESSAGE_BYTES} (one offset commit of a consumer that owns thousands of partitions is a
     * batch of more than 1 MB), and each sink connector whose config sets no memory budget gets
     * {@link #MANY_PARTITIONS_SINK_BUDGET} (thousands of open files share one heap with the broker: spill sooner,
     * files stay as large).
     */
    static StackTuning tuningFor(int partitions, Map<String, Map<String, String>> configs, List<String> sinks) {
        if (partitions < MANY_PARTITIONS) {
            return new StackTuning(Map.of(), Map.of());
        }
        for (String sink : sinks) {
            configs.get(sink).putIfAbsent("memory.budget.bytes", Long.toString(MANY_PARTITIONS_SINK_BUDGET));
        }
        return new StackTuning(manyPartitionSettings(),
            Map.of("message.max.bytes", Integer.toString(MANY_PARTITIONS_MESSAGE_BYTES)));
    }

    private Path lakeDir;
    private Path configDir;
    private Map<String, Map<String, String>> configs;
    private List<String> generators;
    private List<String> sinks;
    /** The generators' topics, their quarantine topics included. */
    private final Set<String> generated = new TreeSet<>();
    private final Set<String> quarantine = new TreeSet<>();

    UpCommand(PrintStream out) {
        this.out = out;
    }

    int run(Args options) throws Exception {
        args = options;
        events = args.getLong("events", 0);
        stallTimeoutMs = args.getLong("timeout", 180) * 1000;
        partitions = (int) args.getLong("topic-partitions", 3);
        lakeDir = args.getPath("lake", "lake").toAbsolutePath();
        Path dataDir = args.getPath("data", ".eventlake").toAbsolutePath();
        configDir = args.getPath("config", "config");
        Path zip = Launcher.pluginZip(args);

        configs = ConnectorConfigs.load(configDir);
        generators = ConnectorConfigs.namesOf(configs, ConnectorConfigs.GENERATOR_CLASS);
        sinks = ConnectorConfigs.namesOf(configs, ConnectorConfigs.SINK_CLASS);
        if (events > 0 && generators.isEmpty()) {
            throw new IllegalArgumentException("--events needs a generator connector in " + configDir);
        }
        // Flags override what the files say only when they are given.
        if (args.has("events")) {
            GeneratorShares.split(configs, generators, events, "max.events");
        }
        if (args.has("rate")) {
            GeneratorShares.split(configs, generators, args.getLong("rate", 0), "events.per.second");
        }
        if (args.has("set")) {
            ConnectorConfigs.override(configs, args.get("set", ""));
        }
        // What the generators write, and where their Validate transforms route the invalid part of it: every
        // generated event is accounted for once it is in one of these topics' folders.
        for (String g : generators) {
            Set<String> own = new TreeSet<>();
            own.add(ConnectorConfigs.generatorTopic(configs.get(g)));
            String reports = ConnectorConfigs.reportsTopic(configs.get(g));
            if (reports != null) {
                own.add(reports);
            }
            generated.addAll(own);
            quarantine.addAll(ConnectorConfigs.quarantineTopics(configs.get(g), own));
        }
        generated.addAll(quarantine);

        out.printf("Starting the local stack (data %s, lake %s)...%n", dataDir, lakeDir);
        EmbeddedStack.Builder builder = EmbeddedStack.builder(dataDir, lakeDir).pluginZip(zip)
            .workerEnv(WorkerEnvironment.REFERENCE_DIR, configDir.resolve("reference").toAbsolutePath().toString());
        StackTuning tuning = tuningFor(partitions, configs, sinks);
        tuning.worker().forEach(builder::workerProperty);
        tuning.broker().forEach(builder::brokerProperty);
        if (partitions >= MANY_PARTITIONS) {
            out.printf("%d partitions per topic: worker clients %s, broker message.max.bytes %d, sink memory budget "
                + "%d bytes (doc/exactly-once.md#many-partitions)%n", partitions, manyPartitionSettings(),
                MANY_PARTITIONS_MESSAGE_BYTES, MANY_PARTITIONS_SINK_BUDGET);
        }
        EmbeddedStack stack = builder.build();
        Thread hook = new Thread(() -> {
            stopping = true;
            out.println("Stopping the local stack...");
            closeQuietly(stack);
            out.println("Stopped.");
            out.flush();
        }, "eventlake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        MetricsEndpoint metrics = null;
        try {
            stack.start();
            metrics = MetricsEndpoint.start((int) args.getLong("metrics-port", 0));
            return runStack(stack, metrics);
        } catch (Exception e) {
            if (stopping) {
                return 0; // Ctrl-C: the hook stops the stack; what failed meanwhile is its doing
            }
            throw e;
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            if (!stopping) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs already
                }
                closeQuietly(stack);
            }
        }
    }

    /** Whether the JVM is stopping on a signal: the launcher then lets the shutdown hook finish. */
    static boolean stopping() {
        return stopping;
    }

    private int runStack(EmbeddedStack stack, MetricsEndpoint metrics) throws Exception {
        out.printf("Stack up in %.1f s: Kafka %s, Connect %s, S3 %s (bucket folder %s)%n",
            stack.startMillis() / 1000.0, stack.bootstrapServers(), stack.connect().baseUrl(), stack.s3Endpoint(),
            stack.bucketDir());
        out.printf("Metrics (Prometheus text): http://127.0.0.1:%d/metrics%n", metrics.port());

        Set<String> topics = new TreeSet<>(generated);
        for (String sink : sinks) {
            Map<String, String> sinkConfig = configs.get(sink);
            for (String t : sinkConfig.getOrDefault("topics", "").split(",")) {
                if (!t.isBlank()) {
                    topics.add(t.trim());
                }
            }
            String dlq = sinkConfig.get("errors.deadletterqueue.topic.name");
            if (dlq != null && !dlq.isBlank()) {
                stack.createTopic(dlq, 1);
            }
            sinkConfig.putAll(stack.s3SinkSettings());
        }
        List<String> https = ConnectorConfigs.namesOf(configs, ConnectorConfigs.HTTP_CLASS);
        if (args.has("http-port")) {
            if (https.size() != 1) {
                throw new IllegalArgumentException("--http-port needs exactly one HTTP ingest connector in " + configDir
                    + ", found " + https.size());
            }
            configs.get(https.get(0)).put("http.port", Long.toString(args.getLong("http-port", 0)));
        }
        for (String http : https) {
            Map<String, String> httpConfig = configs.get(http);
            topics.addAll(ConnectorConfigs.httpTopics(httpConfig).values());
            topics.addAll(ConnectorConfigs.quarantineTopics(httpConfig, ConnectorConfigs.httpTopics(httpConfig).values()));
        }
        for (String topic : topics) {
            stack.createTopic(topic, partitions);
        }
        for (String http : https) {
            // The local stack keeps every server it starts on loopback.
            configs.get(http).put("http.bind.address", "127.0.0.1");
            String port = configs.get(http).getOrDefault("http.port", "8088");
            ConnectorConfigs.httpTopics(configs.get(http)).forEach((path, topic) -> out.printf(
                "HTTP ingest %s: POST events to http://127.0.0.1:%s%s (topic %s)%n", http, port, path, topic));
        }
        if (events > 0 && !https.isEmpty()) {
            out.println("--events counts generated events; events POSTed over HTTP come on top.");
        }
        for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
            boolean written = stack.connect().ensureConfig(c.getKey(), c.getValue());
            out.printf(written ? "PUT /connectors/%s/config%n" : "%s: config unchanged, resuming%n", c.getKey());
        }

        Map<String, String> firstSink = sinks.isEmpty() ? Map.of() : configs.get(sinks.get(0));
        LakeStats lake = stack.writesTables(firstSink)
            ? LakeStats.ofTables(stack.catalog().catalog(), org.apache.iceberg.catalog.Namespace.of(
                firstSink.getOrDefault("iceberg.namespace", "eventlake").split("\\.")))
            : new LakeStats(stack.bucketDir(), firstSink.getOrDefault("topics.dir", "topics"),
                firstSink.getOrDefault("checkpoint.dir", "_eventlake/checkpoints"));
        Pipeline pipeline = new Pipeline(stack.connect(), generators, List.copyOf(configs.keySet()), generated,
            quarantine, lake, out);
        return events > 0 ? runUntilLanded(pipeline) : showProgressForever(pipeline);
    }

    private int runUntilLanded(Pipeline pipeline) throws Exception {
        long start = System.currentTimeMillis();
        long lastChange = start;
        long lastRows = -1;
        long lastReport = 0;
        while (true) {
            String failure = pipeline.failure();
            if (failure != null) {
                out.println("FAILED: " + failure);
                return 2;
            }
            Pipeline.Produced produced = pipeline.produced();
            LakeStats.Snapshot lake = pipeline.lake();
            long landed = lake.rowsOf(pipeline.generatedTopics());
            long now = System.currentTimeMillis();
            if (landed != lastRows) {
                lastRows = landed;
                lastChange = now;
            }
            if (now - lastReport >= REPORT_EVERY_MS) {
                report(now - start, produced, lake, pipeline);
                lastReport = now;
            }
            boolean allProduced = produced.events() == events;
            if (allProduced && lake.pendingFiles() == 0 && landed == produced.records()) {
                report(now - start, produced, lake, pipeline);
                long quarantined = lake.rowsOf(pipeline.quarantineTopics());
                out.printf("Done: %,d events (and %,d fraud reports) in %,d Parquet files under %s in %.1f s:"
                        + " %,d landed, %,d of them quarantined as invalid.%n",
                    produced.events(), produced.reports(), lake.files(), lakeDir, (now - start) / 1000.0, landed,
                    quarantined);
                out.printf("Query them: ./eventlake query tables --lake %s%n", lakeDir);
                return 0;
            }
            if (allProduced && lake.pendingFiles() == 0 && landed > produced.records()) {
                out.printf("FAILED: the lake holds %,d rows for %,d records produced%n", landed, produced.records());
                return 3;
            }
            if (now - lastChange > stallTimeoutMs) {
                out.printf("FAILED: no new events landed for %d s (%,d of %,d in the lake, %,d produced)%n",
                    stallTimeoutMs / 1000, landed, produced.records(), produced.records());
                return 4;
            }
            Thread.sleep(250);
        }
    }

    private int showProgressForever(Pipeline pipeline) throws Exception {
        out.println("Running until stopped (Ctrl-C stops the stack cleanly; run up again to resume).");
        long start = System.currentTimeMillis();
        while (true) {
            String failure = pipeline.failure();
            if (failure != null) {
                out.println("FAILED: " + failure);
                return 2;
            }
            report(System.currentTimeMillis() - start, pipeline.produced(), pipeline.lake(), pipeline);
            Thread.sleep(REPORT_EVERY_MS);
        }
    }

    private final RateMeter producedRate = new RateMeter();
    private final RateMeter validatedRate = new RateMeter();
    private final RateMeter landedRate = new RateMeter();

    private void report(long elapsedMs, Pipeline.Produced produced, LakeStats.Snapshot lake, Pipeline pipeline) {
        // Every topic the sinks land (a config of your own may have no generator); the lag is the generators'.
        long landed = lake.rows();
        long generatedLanded = lake.rowsOf(pipeline.generatedTopics());
        PluginCounters.Totals counters = PluginCounters.read();
        StringBuilder perTopic = new StringBuilder();
        new TreeMap<>(lake.rowsByTopic()).forEach((topic, rows) -> perTopic.append(perTopic.length() == 0 ? "" : ", ")
            .append(topic).append(' ').append(String.format("%,d", rows)));
        out.printf("[%5.0fs] produced %,d (+%,d fraud reports) %s  validated %,d %s  quarantined %,d  flagged %,d"
                + "  landed %,d in %,d files %s  lag %,d%s%s%n",
            elapsedMs / 1000.0, produced.events(), produced.reports(), producedRate.next(produced.events(), elapsedMs),
            counters.validated(), validatedRate.next(counters.validated(), elapsedMs), counters.quarantined(),
            counters.flagged(), landed, lake.files(), landedRate.next(landed, elapsedMs),
            Math.max(0, produced.records() - generatedLanded),
            lake.pendingFiles() > 0 ? "  (" + lake.pendingFiles() + " files of an unfinished commit)" : "",
            perTopic.length() == 0 ? "" : "  [" + perTopic + "]");
    }

    static void closeQuietly(EmbeddedStack stack) {
        try {
            stack.close();
        } catch (Exception e) {
            System.err.println("error while stopping the stack: " + e);
        }
    }
}
