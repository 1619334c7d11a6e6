package io.eventlake.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.eventlake.local.stack.EmbeddedStack;
import io.eventlake.local.stack.LakeStats;

/**
 * {@code eventlake up}: starts the local stack, installs the plugin from its zip, PUTs the config folder's
 * connectors and shows progress. With {@code --events N} it stops by itself once N events are in the lake.
 */
final class UpCommand {

    static final Set<String> OPTIONS = Set.of("events", "lake", "data", "rate", "config", "plugin-zip", "timeout",
        "topic-partitions");

    private static final long REPORT_EVERY_MS = 2000;

    private final PrintStream out;

    UpCommand(PrintStream out) {
        this.out = out;
    }

    int run(Args args) throws Exception {
        long events = args.getLong("events", 0);
        long rate = args.getLong("rate", events > 0 ? 0 : 1000);
        long stallTimeoutMs = args.getLong("timeout", 180) * 1000;
        Path lakeDir = args.getPath("lake", "lake").toAbsolutePath();
        Path dataDir = args.getPath("data", ".eventlake").toAbsolutePath();
        Path configDir = args.getPath("config", "config");
        Path zip = Launcher.pluginZip(args);
        int partitions = (int) args.getLong("topic-partitions", 3);

        Map<String, Map<String, String>> configs = ConnectorConfigs.load(configDir);
        String generator = ConnectorConfigs.nameOf(configs, ConnectorConfigs.GENERATOR_CLASS);
        String sink = ConnectorConfigs.nameOf(configs, ConnectorConfigs.SINK_CLASS);
        Map<String, String> sinkConfig = configs.get(sink);
        Map<String, String> generatorConfig = configs.get(generator);

        out.printf("Starting the local stack (data %s, lake %s)...%n", dataDir, lakeDir);
        EmbeddedStack stack = EmbeddedStack.builder(dataDir, lakeDir).pluginZip(zip).build();
        Thread hook = new Thread(() -> closeQuietly(stack), "eventlake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stack.start();
        out.printf("Stack up in %.1f s: Kafka %s, Connect %s, S3 %s (bucket folder %s)%n",
            stack.startMillis() / 1000.0, stack.bootstrapServers(), stack.connect().baseUrl(), stack.s3Endpoint(),
            stack.bucketDir());

        stack.createTopic(generatorConfig.getOrDefault("topic", "events"), partitions);
        String dlq = sinkConfig.get("errors.deadletterqueue.topic.name");
        if (dlq != null && !dlq.isBlank()) {
            stack.createTopic(dlq, 1);
        }
        generatorConfig.put("events.per.second", Long.toString(rate));
        generatorConfig.put("max.events", Long.toString(events));
        sinkConfig.putAll(stack.s3SinkSettings());
        for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
            boolean written = stack.connect().ensureConfig(c.getKey(), c.getValue());
            out.printf(written ? "PUT /connectors/%s/config%n" : "%s: config unchanged, resuming%n", c.getKey());
        }

        LakeStats lake = new LakeStats(stack.bucketDir(), sinkConfig.getOrDefault("topics.dir", "topics"),
            sinkConfig.getOrDefault("checkpoint.dir", "_eventlake/checkpoints"));
        Pipeline pipeline = new Pipeline(stack.connect(), generator, sink, lake);
        int code = events > 0 ? runUntilLanded(pipeline, events, stallTimeoutMs, lakeDir)
            : showProgressForever(pipeline);
        Runtime.getRuntime().removeShutdownHook(hook);
        closeQuietly(stack);
        return code;
    }

    private int runUntilLanded(Pipeline pipeline, long events, long stallTimeoutMs, Path lakeDir) throws Exception {
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
            long produced = pipeline.produced();
            LakeStats.Snapshot lake = pipeline.lake();
            long now = System.currentTimeMillis();
            if (lake.rows() != lastRows) {
                lastRows = lake.rows();
                lastChange = now;
            }
            if (now - lastReport >= REPORT_EVERY_MS) {
                report(now - start, produced, lake);
                lastReport = now;
            }
            if (lake.pendingFiles() == 0 && lake.rows() == events && produced == events) {
                report(now - start, produced, lake);
                out.printf("Done: %,d events in %,d Parquet files under %s in %.1f s.%n", lake.rows(), lake.files(),
                    lakeDir, (now - start) / 1000.0);
                out.printf("Query them: duckdb -c \"SELECT event_type, count(*) FROM read_parquet('%s/%s/**/*.parquet',"
                    + " hive_partitioning=true) GROUP BY 1\"%n", lakeDir, EmbeddedStack.BUCKET);
                return 0;
            }
            if (lake.pendingFiles() == 0 && lake.rows() > events) {
                out.printf("FAILED: the lake holds %,d rows for %,d events%n", lake.rows(), events);
                return 3;
            }
            if (now - lastChange > stallTimeoutMs) {
                out.printf("FAILED: no new events landed for %d s (%,d of %,d in the lake, %,d produced)%n",
                    stallTimeoutMs / 1000, lake.rows(), events, produced);
                return 4;
            }
            Thread.sleep(250);
        }
    }

    private int showProgressForever(Pipeline pipeline) throws Exception {
        out.println("Running until stopped (Ctrl-C).");
        long start = System.currentTimeMillis();
        while (true) {
            String failure = pipeline.failure();
            if (failure != null) {
                out.println("FAILED: " + failure);
                return 2;
            }
            report(System.currentTimeMillis() - start, pipeline.produced(), pipeline.lake());
            Thread.sleep(REPORT_EVERY_MS);
        }
    }

    private void report(long elapsedMs, long produced, LakeStats.Snapshot lake) {
        out.printf("[%5.0fs] produced %,d  landed %,d in %,d files  lag %,d%s%n", elapsedMs / 1000.0, produced,
            lake.rows(), lake.files(), Math.max(0, produced - lake.rows()),
            lake.pendingFiles() > 0 ? "  (" + lake.pendingFiles() + " files of an unfinished commit)" : "");
    }

    static void closeQuietly(EmbeddedStack stack) {
        try {
            stack.close();
        } catch (Exception e) {
            System.err.println("error while stopping the stack: " + e);
        }
    }
}
