package io.eventlake.connect.sink.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import io.eventlake.common.Version;

/** The S3 Parquet sink connector: validates the config and runs {@link S3ParquetSinkTask}s. */
public class S3ParquetSinkConnector extends SinkConnector {

    public static final String OVERVIEW_DOC = "Lands Kafka records with Struct values as Hive-partitioned Parquet "
        + "files in an S3 bucket, under <topics.dir>/<topic>/year=YYYY/month=MM/day=dd/hour=HH/ by event time. "
        + "Files are named <topic>+<partition>+<start offset>.parquet. Each Kafka partition's files are committed "
        + "through a checkpoint in the bucket, so every record lands exactly once even across crashes, and Kafka "
        + "offsets are committed only for data that is in S3. Records that cannot be written go to the dead letter "
        + "queue when errors.tolerance=all, and fail the task otherwise.";

    public static final ConfigDef CONFIG_DEF = S3ParquetSinkConfig.CONFIG_DEF;

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new S3ParquetSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3ParquetSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }
}
