package io.eventlake.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.eventlake.connect.source.generator.EventGeneratorSourceConnector;
import io.eventlake.connect.source.generator.EventGeneratorSourceTask;

/**
 * Events one generator task hands to the worker per second, before any converter or producer cost: the task's
 * {@code poll()} with no rate limit, records and their offsets included, per scenario.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GeneratorBench {

    static final int BATCH = 1000;

    @Param({"clickstream", "cart", "transactions", "sensors"})
    public String scenario;

    private EventGeneratorSourceTask task;

    @Setup
    public void setup() {
        Map<String, String> props = new HashMap<>();
        props.put("scenario", scenario);
        props.put("events.per.second", "0");
        props.put("batch.size", Integer.toString(BATCH));
        EventGeneratorSourceConnector connector = new EventGeneratorSourceConnector();
        connector.start(props);
        Map<String, String> taskProps = connector.taskConfigs(1).get(0);
        task = new EventGeneratorSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskProps;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return null;
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> ps) {
                        return Map.of();
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(taskProps);
    }

    /** One poll of {@value #BATCH} events (fraud reports ride along); reported per event. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<SourceRecord> poll() throws InterruptedException {
        return task.poll();
    }
}
