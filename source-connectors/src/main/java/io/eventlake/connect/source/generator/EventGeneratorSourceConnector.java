package io.eventlake.connect.source.generator;

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
import org.apache.kafka.connect.storage.OffsetStorageReader;

import io.eventlake.common.Version;

/** The event generator source connector: one scenario, its event sequence split among the tasks in lanes. */
public class EventGeneratorSourceConnector extends SourceConnector {

    public static final String OVERVIEW_DOC = "Generates realistic, labelled event streams as Struct values with a "
        + "schema (DECIMAL money, TIMESTAMP event times), one scenario per connector: clickstream (browsing "
        + "sessions), cart (shopping journeys), transactions (card payments with injected fraud patterns, their "
        + "ground truth, and fraud reports filed days later to a topic of their own) or sensors (IoT readings). "
        + "Rate, daily shape, bursts and late events are configurable; event ids and values are a pure function of "
        + "the seed and a sequence number, and event times too in simulated mode. The sequence is split into lanes, "
        + "each with its own source offset, shared among the tasks: a restarted or rescaled connector resumes every "
        + "lane where it stopped. Supports exactly-once source delivery.";

    public static final ConfigDef CONFIG_DEF = EventGeneratorConfig.CONFIG_DEF;

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        EventGeneratorConfig config = new EventGeneratorConfig(props);
        if (context != null && context().offsetStorageReader() != null) {
            // Fail the connector, not only its tasks, when the lane count changed under committed offsets.
            OffsetStorageReader offsets = context().offsetStorageReader();
            Map<String, Object> lane0 = EventGeneratorSourceTask.sourcePartition(0);
            EventGeneratorSourceTask.checkLanes(offsets.offset(lane0), lane0, config.lanes());
        }
        Map<String, String> copy = new HashMap<>(props);
        if (config.simulatedAutoStart()) {
            copy.put(EventGeneratorConfig.TASK_CLOCK_START_CONFIG, Long.toString(clockStart(config)));
        }
        this.props = Map.copyOf(copy);
    }

    /**
     * The start of an auto simulated clock: the one kept in any lane's committed offset (the stream was started
     * before), else placed against the wall clock now.
     */
    private long clockStart(EventGeneratorConfig config) {
        if (context != null && context().offsetStorageReader() != null) {
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (int lane = 0; lane < config.lanes(); lane++) {
                partitions.add(EventGeneratorSourceTask.sourcePartition(lane));
            }
            Map<Map<String, Object>, Map<String, Object>> offsets = context().offsetStorageReader().offsets(partitions);
            if (offsets != null) {
                for (Map<String, Object> offset : offsets.values()) {
                    Long kept = EventGeneratorSourceTask.clockOf(offset);
                    if (kept != null) {
                        return kept;
                    }
                }
            }
        }
        return config.autoClockStart(System.currentTimeMillis());
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        boolean fieldsValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (fieldsValid) {
            Map<String, ConfigValue> byName = new HashMap<>();
            result.configValues().forEach(v -> byName.put(v.name(), v));
            try {
                new EventGeneratorConfig(connectorConfigs);
            } catch (ConfigException e) {
                for (String problem : e.getMessage().split("; ")) {
                    String key = problem.substring(0, Math.max(0, problem.indexOf(':')));
                    ConfigValue target = byName.getOrDefault(key.endsWith("*")
                        ? EventGeneratorConfig.FRAUD_SHARE_PREFIX + "high_amount" : key,
                        byName.get(EventGeneratorConfig.SCENARIO_CONFIG));
                    target.addErrorMessage(problem);
                }
            }
        }
        return result;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return EventGeneratorSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int lanes = new EventGeneratorConfig(props).lanes();
        int tasks = Math.min(maxTasks, lanes);
        List<Map<String, String>> configs = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            List<String> owned = new ArrayList<>();
            for (int lane = t; lane < lanes; lane += tasks) {
                owned.add(Integer.toString(lane));
            }
            Map<String, String> task = new HashMap<>(props);
            task.put(EventGeneratorConfig.TASK_LANES_CONFIG, String.join(",", owned));
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
