package io.eventlake.connect.sink.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.connect.sink.s3.commit.Checkpoint;
import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.config.S3ConnectionConfig;
import io.eventlake.connect.sink.s3.config.S3ParquetSinkConfig;
import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.RetriableStorageException;
import io.eventlake.connect.sink.s3.storage.S3ObjectStore;
import io.eventlake.connect.sink.s3.storage.S3Settings;
import io.eventlake.connect.sink.s3.storage.StorageException;

/**
 * The S3 Parquet sink connector: validates the config (and that the bucket is reachable with the credentials),
 * runs {@link S3ParquetSinkTask}s, and applies offset changes made through Connect's offsets API to the lake's
 * checkpoints, which are what the tasks resume from.
 */
public class S3ParquetSinkConnector extends SinkConnector {

    private static final Logger log = LoggerFactory.getLogger(S3ParquetSinkConnector.class);

    public static final String OVERVIEW_DOC = "Lands Kafka records with Struct values as Hive-partitioned Parquet "
        + "files in an S3 bucket, under <topics.dir>/<topic>/[<field>=<value>/]year=YYYY/month=MM/day=dd/hour=HH/ by "
        + "event time (or record time or wall clock). Each Kafka partition's files are committed through a "
        + "checkpoint in the bucket whose writes are conditional on its owner epoch, so every record lands exactly "
        + "once even across crashes, rebalances and stalled (zombie) tasks, and Kafka offsets are committed only "
        + "for data in S3. Uploads run beside the task thread, large files go out part by part, and one memory "
        + "budget bounds a task. Records that cannot land (bad values, tombstones, schemas that would break the "
        + "folder's readers) go to the dead letter queue within errors.tolerance.";

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
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        result.configValues().forEach(v -> byName.put(v.name(), v));
        if (result.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
            return result;
        }
        S3ParquetSinkConfig config;
        try {
            config = new S3ParquetSinkConfig(connectorConfigs);
        } catch (ConfigException e) {
            addError(byName, keyOf(e.getMessage()), e.getMessage(), S3ConnectionConfig.BUCKET);
            return result;
        }
        if (config.getBoolean(S3ConnectionConfig.VALIDATE_CONNECTION)) {
            checkConnection(config.s3(), config.checkpointDir() + "/probes/validate-" + java.util.UUID.randomUUID()
                + ".txt", byName);
            if (config.tableFormat() == io.eventlake.connect.sink.s3.config.TableConfig.Format.ICEBERG
                && byName.values().stream().allMatch(v -> v.errorMessages().isEmpty())) {
                checkCatalog(config, byName);
            }
        }
        return result;
    }

    /** Opens the Iceberg catalog and lists the namespace's tables, so a wrong URI or credential is named now. */
    static void checkCatalog(S3ParquetSinkConfig config, Map<String, ConfigValue> byName) {
        Map<String, String> props = config.catalogProperties();
        props.putIfAbsent("rest.client.connection-timeout-ms", "5000");
        props.putIfAbsent("rest.client.socket-timeout-ms", "10000");
        String uri = props.getOrDefault("uri", "");
        try (S3ObjectStore store = S3ObjectStore.create(config.s3())) {
            String id = io.eventlake.connect.sink.s3.iceberg.SinkFileIO.register(bucket -> store);
            props.put(io.eventlake.connect.sink.s3.iceberg.SinkFileIO.STORE, id);
            org.apache.iceberg.catalog.Catalog catalog = null;
            try {
                catalog = org.apache.iceberg.CatalogUtil.buildIcebergCatalog(
                    config.getString(io.eventlake.connect.sink.s3.config.TableConfig.CATALOG_NAME), props, null);
                org.apache.iceberg.catalog.Namespace ns = org.apache.iceberg.catalog.Namespace.of(
                    config.getString(io.eventlake.connect.sink.s3.config.TableConfig.NAMESPACE).split("\\."));
                if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces namespaces) {
                    namespaces.listNamespaces();
                } else {
                    catalog.listTables(ns);
                }
            } finally {
                io.eventlake.connect.sink.s3.iceberg.SinkFileIO.unregister(id);
                if (catalog instanceof java.io.Closeable c) {
                    try {
                        c.close();
                    } catch (java.io.IOException ignored) {
                        // a probe
                    }
                }
            }
        } catch (RuntimeException e) {
            addError(byName, io.eventlake.connect.sink.s3.config.TableConfig.CATALOG_URI, "cannot use the Iceberg "
                + "catalog (" + io.eventlake.connect.sink.s3.config.TableConfig.CATALOG_TYPE + "="
                + props.getOrDefault("type", props.get("catalog-impl")) + ", uri " + uri + "): " + rootMessage(e),
                io.eventlake.connect.sink.s3.config.TableConfig.CATALOG_URI);
        }
    }

    /**
     * Reaches the bucket with the credentials, quickly, then writes and deletes a small object under
     * {@code probeKey} (a read-only bucket or credentials without s3:PutObject fail here, not at the first commit),
     * and names the key to fix when either fails.
     */
    static void checkConnection(S3Settings settings, String probeKey, Map<String, ConfigValue> byName) {
        S3Settings quick = settings.withRetry(new S3Settings.Retry(2, Duration.ofMillis(100), Duration.ofMillis(500)))
            .withClient(new S3Settings.Client(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(5), 0));
        try (S3ObjectStore store = S3ObjectStore.create(quick)) {
            store.checkBucket();
            store.checkWritable(probeKey);
        } catch (RetriableStorageException e) {
            addError(byName, S3ConnectionConfig.ENDPOINT, "cannot reach S3 at " + (settings.endpoint().isBlank()
                ? "the AWS endpoint of region " + settings.region() : settings.endpoint()) + ": " + rootMessage(e)
                + " (check " + S3ConnectionConfig.ENDPOINT + ", or set " + S3ConnectionConfig.VALIDATE_CONNECTION + "=false to skip "
                + "this check)", S3ConnectionConfig.ENDPOINT);
        } catch (StorageException e) {
            String m = e.getMessage();
            String key = m.contains("no such bucket") ? S3ConnectionConfig.BUCKET
                : m.contains("aws.secret.access.key") ? S3ConnectionConfig.SECRET_ACCESS_KEY
                : m.contains("region") ? S3ConnectionConfig.REGION : S3ConnectionConfig.ACCESS_KEY_ID;
            addError(byName, key, m, S3ConnectionConfig.BUCKET);
        } catch (RuntimeException e) {
            addError(byName, S3ConnectionConfig.ENDPOINT, "cannot reach S3: " + rootMessage(e),
                S3ConnectionConfig.ENDPOINT);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The key a ConfigException names: "Invalid value X for configuration KEY: ..." */
    static String keyOf(String message) {
        String marker = "for configuration ";
        int i = message == null ? -1 : message.indexOf(marker);
        if (i < 0) {
            return null;
        }
        int start = i + marker.length();
        int end = message.indexOf(':', start);
        return (end < 0 ? message.substring(start) : message.substring(start, end)).trim();
    }

    private static void addError(Map<String, ConfigValue> byName, String key, String message, String fallback) {
        ConfigValue target = key == null ? null : byName.get(key);
        if (target == null) {
            target = byName.get(fallback);
        }
        target.addErrorMessage(message);
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

    /**
     * Offsets changed through {@code PATCH/DELETE /connectors/<name>/offsets} (KIP-875; the connector is stopped):
     * the tasks resume from the lake's checkpoints, so those are changed too.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(connectorConfig);
        try (S3ObjectStore store = S3ObjectStore.create(config.s3())) {
            applyOffsets(store, new CheckpointStore(store, config.checkpointPrefix()), offsets);
        } catch (ConnectException e) {
            throw new ConnectException("cannot apply the offsets to the lake's checkpoints: " + e.getMessage(), e);
        }
        return true;
    }

    /**
     * Moves the checkpoints to the offsets the user set. An altered offset replaces a partition's checkpoint under a
     * new owner epoch, after deleting the files of an unfinished commit. A reset (a null offset) does not delete the
     * checkpoint: it writes a reset marker, {@code {epoch: epoch + 1, next: -1}}, so the task resumes from the
     * consumer group's (reset) offset while the owner epoch keeps rising. Were the checkpoint deleted, the next owner
     * would start again at epoch 1: its file names would be those of the committed pre-reset files (and taken for its
     * own retries), and a stalled pre-reset owner at epoch 1 would pass the same-epoch check.
     */
    static void applyOffsets(ObjectStore store, CheckpointStore checkpoints, Map<TopicPartition, Long> offsets) {
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            TopicPartition tp = e.getKey();
            var current = checkpoints.read(tp);
            long offset = e.getValue() == null ? -1 : e.getValue();
            if (current.isEmpty()) {
                if (e.getValue() != null) {
                    checkpoints.create(tp, Checkpoint.committed(1, offset));
                }
            } else {
                Checkpoint cp = current.get().checkpoint();
                cp.pending().forEach(store::delete);
                checkpoints.replace(tp, Checkpoint.committed(cp.epoch() + 1, offset), current.get().etag());
            }
            if (e.getValue() == null) {
                log.info("{}: offset reset; checkpoint {} marks it (the owner epoch keeps rising)", tp,
                    checkpoints.key(tp));
            } else {
                log.info("{}: offset altered to {}; checkpoint {} updated", tp, offset, checkpoints.key(tp));
            }
        }
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }
}
