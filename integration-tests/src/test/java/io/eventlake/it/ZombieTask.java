package io.eventlake.it;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * A second instance of the S3 sink task outside the worker, driven by the test as Connect would drive a task that
 * no longer owns its partition (a zombie). Its classes come from the plugin as installed on the worker's
 * plugin.path, through a class loader whose parent is this JVM's (which has the Connect API but not the plugin),
 * so the zombie runs the very code the worker runs.
 */
final class ZombieTask implements AutoCloseable {

    static final String TASK_CLASS = "io.eventlake.connect.sink.s3.S3ParquetSinkTask";

    private final URLClassLoader loader;
    private final SinkTask task;
    final Context context;

    ZombieTask(EmbeddedStack stack, Map<String, String> props) throws Exception {
        loader = new URLClassLoader(pluginJars(stack.pluginPath()), ZombieTask.class.getClassLoader());
        task = (SinkTask) loader.loadClass(TASK_CLASS).getConstructor().newInstance();
        context = new Context(props);
        task.initialize(context);
        task.start(props);
    }

    private static URL[] pluginJars(Path pluginPath) throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(pluginPath)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no plugin jars under " + pluginPath);
        }
        return jars.toArray(new URL[0]);
    }

    void open(TopicPartition tp) {
        context.assignment.add(tp);
        task.open(List.of(tp));
    }

    void put(Collection<SinkRecord> records) {
        task.put(records);
    }

    Map<TopicPartition, OffsetAndMetadata> preCommit() {
        return task.preCommit(new HashMap<>());
    }

    @Override
    public void close() throws Exception {
        try {
            task.close(new ArrayList<>(context.assignment));
            task.stop();
        } finally {
            loader.close();
        }
    }

    /** What Connect would be asked by the task: seeks, pauses and resumes, recorded. */
    static final class Context implements SinkTaskContext {
        private final Map<String, String> configs;
        final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
        final Map<TopicPartition, Long> seeks = new ConcurrentHashMap<>();
        final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();

        Context(Map<String, String> configs) {
            this.configs = configs;
        }

        @Override
        public Map<String, String> configs() {
            return configs;
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            seeks.putAll(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            seeks.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return assignment;
        }

        @Override
        public void pause(TopicPartition... partitions) {
            paused.addAll(List.of(partitions));
        }

        @Override
        public void resume(TopicPartition... partitions) {
            List.of(partitions).forEach(paused::remove);
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public PluginMetrics pluginMetrics() {
            // The task then registers no metrics, as on a worker before Kafka 4.1.
            return null;
        }
    }
}
