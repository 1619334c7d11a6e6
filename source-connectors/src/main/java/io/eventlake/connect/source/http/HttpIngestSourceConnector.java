package io.eventlake.connect.source.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import io.eventlake.common.Version;

/**
 * The HTTP ingest source connector: applications POST events, the connector answers once Kafka has them. Each task
 * runs its own server on {@code http.port} plus its number; see {@link HttpIngestSourceTask} for why a 2xx means
 * stored.
 */
public class HttpIngestSourceConnector extends SourceConnector {

    public static final String OVERVIEW_DOC = "Takes events over HTTP(S): applications POST one JSON object, a JSON "
        + "array or NDJSON to a path, and each path's events go to its topic as Structs of a configured schema (or "
        + "schemaless maps), keyed and timestamped from configured fields. A request is answered 200 only after "
        + "Kafka acknowledged every one of its events (with exactly-once source support, after their transaction "
        + "committed); a request that cannot be taken whole stores nothing and gets a precise answer: 400 naming the "
        + "line, event and field, 401/403 (bearer token, HMAC signature), 413 (size), 415 (content type), 503 with "
        + "Retry-After (buffer full, task stopping). If the task stops or the producer fails while a request waits, "
        + "the client gets an error, never a false success. Task n listens on http.port + n.";

    public static final ConfigDef CONFIG_DEF = HttpIngestConfig.CONFIG_DEF;

    static final String TASKS_MAX = "tasks.max";
    static final String ACKS_OVERRIDE = "producer.override.acks";
    static final String TRANSACTION_BOUNDARY = "transaction.boundary";
    static final String TRANSACTION_INTERVAL = "transaction.boundary.interval.ms";

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new HttpIngestConfig(props);
        List<ConfigException> problems = workerSettingProblems(props);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        boolean fieldsValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        Map<String, ConfigValue> byName = new HashMap<>();
        result.configValues().forEach(v -> byName.put(v.name(), v));
        List<ConfigException> problems = new ArrayList<>(workerSettingProblems(connectorConfigs));
        if (fieldsValid) {
            try {
                problems.addAll(HttpIngestConfig.problemsOf(connectorConfigs));
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
        for (ConfigException problem : problems) {
            String key = keyOf(problem);
            ConfigValue target = byName.get(key);
            if (target == null) {
                target = new ConfigValue(key);
                byName.put(key, target);
                result.configValues().add(target);
            }
            target.addErrorMessage(problem.getMessage());
        }
        return result;
    }

    /** The key a ConfigException(name, value, message) names: its message reads "Invalid value v for configuration k: ...". */
    private static String keyOf(ConfigException e) {
        String m = e.getMessage();
        int at = m.indexOf(" for configuration ");
        if (at < 0) {
            return HttpIngestConfig.PORT_CONFIG;
        }
        int end = m.indexOf(':', at);
        return m.substring(at + " for configuration ".length(), end < 0 ? m.length() : end).trim();
    }

    /** Connect-level keys of the connector config that would break the acknowledgement or the ports. */
    static List<ConfigException> workerSettingProblems(Map<String, String> props) {
        List<ConfigException> problems = new ArrayList<>();
        String acks = props.get(ACKS_OVERRIDE);
        if (acks != null && !acks.trim().equals("all") && !acks.trim().equals("-1")) {
            problems.add(new ConfigException(ACKS_OVERRIDE, acks, "the HTTP ingest connector answers a request "
                + "once Kafka has its events, which needs acks=all"));
        }
        int port = parseInt(props.get(HttpIngestConfig.PORT_CONFIG), 8088);
        int tasks = parseInt(props.get(TASKS_MAX), 1);
        if (port + tasks - 1 > 65535) {
            problems.add(new ConfigException(TASKS_MAX, tasks, "task n listens on http.port + n, and "
                + HttpIngestConfig.PORT_CONFIG + " " + port + " + " + (tasks - 1) + " is beyond 65535"));
        }
        if ("interval".equalsIgnoreCase(String.valueOf(props.get(TRANSACTION_BOUNDARY)).trim())) {
            long interval = parseInt(props.get(TRANSACTION_INTERVAL), 60_000);
            long timeout = parseInt(props.get(HttpIngestConfig.ACK_TIMEOUT_CONFIG), 30_000);
            if (interval >= timeout) {
                problems.add(new ConfigException(HttpIngestConfig.ACK_TIMEOUT_CONFIG, timeout, "transactions "
                    + "commit every " + interval + " ms (" + TRANSACTION_INTERVAL + ", the offset flush interval by "
                    + "default), so requests would time out before their events commit; use transaction.boundary="
                    + "poll or a shorter interval"));
            }
        }
        return problems;
    }

    private static int parseInt(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HttpIngestSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(HttpIngestConfig.TASK_INDEX_CONFIG, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }
}
