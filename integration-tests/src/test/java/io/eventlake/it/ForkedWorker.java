package io.eventlake.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.eventlake.local.stack.ConnectRest;

/**
 * A Connect distributed worker of another Kafka version, in a JVM of its own: {@code ConnectDistributed} with a
 * worker properties file and environment variables, as {@code connect-distributed.sh} starts it. Its classpath is a
 * folder of jars resolved for that version (test-runtimes), so nothing of the build's Kafka leaks in.
 */
final class ForkedWorker implements AutoCloseable {

    private final Process process;
    private final String restUrl;
    private final Path log;

    private ForkedWorker(Process process, String restUrl, Path log) {
        this.process = process;
        this.restUrl = restUrl;
        this.log = log;
    }

    /**
     * Starts the worker and waits until its REST API answers.
     * @param properties the worker properties; {@code listeners} must be an http URL on 127.0.0.1
     */
    static ForkedWorker start(Path libDir, Map<String, String> properties, Map<String, String> environment,
                             Path workDir, Duration timeout) throws Exception {
        Files.createDirectories(workDir);
        Path file = workDir.resolve("worker.properties");
        Properties p = new Properties();
        p.putAll(properties);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "forked Connect worker");
        }
        Path log = workDir.resolve("worker.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx768m", "-cp", libDir.toAbsolutePath() + "/*",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ForkedWorker worker = new ForkedWorker(builder.start(), properties.get("listeners"), log);
        try {
            worker.awaitRest(timeout);
        } catch (Exception e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    private void awaitRest(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl + "/connectors"))
            .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the worker's REST API did not answer within " + timeout + ":\n" + logTail());
    }

    /**
     * The shipped worker properties (config/connect-distributed.properties) for a worker of its own group on the
     * stack's broker, with the plugins under {@code plugins}: a worker that takes a dead one's tasks at once
     * ({@code scheduled.rebalance.max.delay.ms=0}) instead of waiting for it to come back.
     */
    static Map<String, String> inGroup(io.eventlake.local.stack.EmbeddedStack stack, Path plugins, String group)
        throws IOException {
        Map<String, String> w = ConnectCompatibilityIT.shippedWorkerProperties();
        w.put("bootstrap.servers", stack.bootstrapServers());
        w.put("plugin.path", plugins.toString());
        w.put("listeners", "http://127.0.0.1:" + HttpIngestIT.freePort());
        w.put("rest.advertised.host.name", "127.0.0.1");
        w.put("group.id", group);
        w.put("config.storage.topic", "_" + group + "-configs");
        w.put("offset.storage.topic", "_" + group + "-offsets");
        w.put("status.storage.topic", "_" + group + "-status");
        w.put("offset.flush.interval.ms", "1000");
        w.put("scheduled.rebalance.max.delay.ms", "0");
        return w;
    }

    ConnectRest rest() {
        return new ConnectRest(restUrl);
    }

    /** The last lines the worker logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Path log() {
        return log;
    }

    /** Kills the worker as a crash would (SIGKILL): no shutdown hook, no task stop, no offset flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the worker as Ctrl-C would (its shutdown hook stops the tasks), forcibly after a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
