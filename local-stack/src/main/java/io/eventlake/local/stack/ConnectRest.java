package io.eventlake.local.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few calls of the Connect REST API the launcher and the tests make, as a user would with curl. */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private static final Duration RETRY_FOR = Duration.ofSeconds(180);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * PUT /connectors/{name}/config: creates the connector or updates its config. Retried while the worker cannot
     * take it yet: a worker that restarts after a crash rebalances until the dead member's session has expired.
     */
    public void putConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        sendRetrying("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config), 200, 201);
    }

    private String sendRetrying(String method, String path, String body, int... ok) throws IOException,
        InterruptedException {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return send(method, path, body, ok);
            } catch (RetriableRestException | java.net.http.HttpTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(method + " " + path + " did not succeed within " + RETRY_FOR, e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Creates or updates the connector only when its config differs from the one the worker has: re-PUTting an
     * unchanged config restarts the connector for nothing, e.g. when {@code eventlake up} resumes after a crash.
     * @return true when the config was written
     */
    public boolean ensureConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        String current = sendRetrying("GET", "/connectors/" + name + "/config", null, 200, 404);
        if (!current.isEmpty()) {
            Map<String, String> existing = JSON.readValue(current, new TypeReference<Map<String, String>>() { });
            existing.remove("name");
            if (existing.equals(config)) {
                return false;
            }
        }
        putConfig(name, config);
        return true;
    }

    /** POST /connectors/{name}/restart?includeTasks=true: stops and starts the connector and all its tasks. */
    public void restart(String name) throws IOException, InterruptedException {
        sendRetrying("POST", "/connectors/" + name + "/restart?includeTasks=true", null, 200, 202, 204);
    }

    /** PUT /connectors/{name}/stop: shuts the connector and its tasks down, keeping its config and offsets. */
    public void stop(String name) throws IOException, InterruptedException {
        sendRetrying("PUT", "/connectors/" + name + "/stop", null, 200, 202, 204);
    }

    /** PUT /connectors/{name}/resume: starts a stopped (or paused) connector's tasks again. */
    public void resume(String name) throws IOException, InterruptedException {
        sendRetrying("PUT", "/connectors/" + name + "/resume", null, 200, 202, 204);
    }

    public void delete(String name) throws IOException, InterruptedException {
        send("DELETE", "/connectors/" + name, null, 204, 404);
    }

    /** Class names of GET /connector-plugins?connectorsOnly=false. */
    public List<String> pluginClasses() throws IOException, InterruptedException {
        JsonNode plugins = JSON.readTree(send("GET", "/connector-plugins?connectorsOnly=false", null, 200));
        List<String> classes = new ArrayList<>();
        plugins.forEach(p -> classes.add(p.get("class").asText()));
        return classes;
    }

    /** GET /connector-plugins: class name to version, connectors only. */
    public JsonNode connectorPlugins() throws IOException, InterruptedException {
        return JSON.readTree(send("GET", "/connector-plugins", null, 200));
    }

    /**
     * PUT /connector-plugins/{class}/config/validate: the worker resolves config provider placeholders, then the
     * connector validates; the answer lists each key's value (PASSWORD keys hidden) and errors.
     */
    public JsonNode validate(String connectorClass, Map<String, String> config) throws IOException,
        InterruptedException {
        return JSON.readTree(send("PUT", "/connector-plugins/" + connectorClass + "/config/validate",
            JSON.writeValueAsString(config), 200));
    }

    /** GET on any path of the REST API, as text (200 expected). */
    public String get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, 200);
    }

    /** GET /connectors/{name}/status, or null when the connector does not exist. */
    public JsonNode status(String name) throws IOException, InterruptedException {
        String body = send("GET", "/connectors/" + name + "/status", null, 200, 404);
        JsonNode node = JSON.readTree(body);
        return node.has("connector") ? node : null;
    }

    /** True when the connector and all of at least {@code minTasks} tasks are RUNNING. */
    public boolean isRunning(String name, int minTasks) throws IOException, InterruptedException {
        JsonNode status = status(name);
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
            return false;
        }
        int running = 0;
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
            running++;
        }
        return running >= minTasks;
    }

    /** The trace of the first FAILED connector or task, or null. */
    public String failure(String name) throws IOException, InterruptedException {
        List<FailedTask> failed = failures(name);
        return failed.isEmpty() ? null : failed.get(0).toString();
    }

    /** A FAILED connector ({@code id} {@link #CONNECTOR}) or task, and its trace. */
    public record FailedTask(String connector, int id, String trace) {

        /** The id of the connector itself. */
        public static final int CONNECTOR = -1;

        /** Exceptions by which the producer of a task learns that its open transaction is gone. */
        private static final List<String> ABORTED = List.of("InvalidProducerEpochException",
            "ProducerFencedException", "TransactionAbortableException", "InvalidTxnStateException");

        /**
         * True when this is a task whose exactly-once transaction was aborted under it (the coordinator expired it,
         * or the broker refused its state): restarting it is safe, as nothing of that transaction is visible.
         */
        public boolean transactionAborted() {
            return id != CONNECTOR && trace != null && ABORTED.stream().anyMatch(trace::contains);
        }

        @Override
        public String toString() {
            return (id == CONNECTOR ? connector : connector + " task " + id) + ": " + trace;
        }
    }

    /** The FAILED connector, then its FAILED tasks (none when the connector is unknown). */
    public List<FailedTask> failures(String name) throws IOException, InterruptedException {
        JsonNode status = status(name);
        List<FailedTask> failed = new ArrayList<>();
        if (status != null) {
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                failed.add(new FailedTask(name, FailedTask.CONNECTOR, status.path("connector").path("trace").asText()));
            }
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    failed.add(new FailedTask(name, task.path("id").asInt(), task.path("trace").asText()));
                }
            }
        }
        return failed;
    }

    /** POST /connectors/{name}/tasks/{id}/restart. */
    public void restartTask(String name, int id) throws IOException, InterruptedException {
        sendRetrying("POST", "/connectors/" + name + "/tasks/" + id + "/restart", null, 200, 202, 204);
    }

    /** GET /connectors/{name}/offsets: each source partition with its offset. */
    public List<Map<String, Object>> sourceOffsets(String name) throws IOException, InterruptedException {
        JsonNode node = JSON.readTree(send("GET", "/connectors/" + name + "/offsets", null, 200));
        List<Map<String, Object>> offsets = new ArrayList<>();
        for (JsonNode entry : node.path("offsets")) {
            offsets.add(JSON.convertValue(entry.path("offset"), new TypeReference<Map<String, Object>>() { }));
        }
        return offsets;
    }

    private String send(String method, String path, String body, int... ok) throws IOException,
        InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(20))
            .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int code : ok) {
            if (response.statusCode() == code) {
                return response.body() == null ? "" : response.body();
            }
        }
        String message = method + " " + path + " answered " + response.statusCode() + ": " + response.body();
        // 409: a rebalance is under way; 500 with a timeout: the herder is busy catching up after a restart;
        // 500 "a rebalance is expected": a config just written has not been rebalanced in yet.
        if (response.statusCode() == 409 || response.statusCode() == 500 && (response.body().contains("imed out")
            || response.body().contains("rebalance is expected"))) {
            throw new RetriableRestException(message);
        }
        throw new IOException(message);
    }

    /** An answer that means "not now": the same request may succeed once the worker has settled. */
    static final class RetriableRestException extends IOException {
        RetriableRestException(String message) {
            super(message);
        }
    }
}
