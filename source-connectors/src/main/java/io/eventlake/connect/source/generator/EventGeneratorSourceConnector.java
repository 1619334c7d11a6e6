package io.eventlake.connect.source.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import io.eventlake.common.Version;

/** The event generator source connector: splits the event sequence among its tasks. */
public class EventGeneratorSourceConnector extends SourceConnector {

    public static final String OVERVIEW_DOC = "Generates realistic business events (page views, add-to-cart, "
        + "purchases and payments with user ids, DECIMAL amounts and event times) at a configurable rate, as Struct "
        + "values with a schema, keyed by user id. Event ids and values are a pure function of the seed and a "
        + "sequence number. The sequence is split into lanes, each with its own source offset, shared among the "
        + "tasks: a restarted or rescaled connector resumes every lane where it stopped. "
        + "Supports exactly-once source delivery.";

    public static final ConfigDef CONFIG_DEF = EventGeneratorConfig.CONFIG_DEF;

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new EventGeneratorConfig(props);
        this.props = Map.copyOf(props);
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
