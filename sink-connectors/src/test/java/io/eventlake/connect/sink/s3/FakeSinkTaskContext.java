package io.eventlake.connect.sink.s3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** Records what the task asks of the worker: rewinds, pauses and errant records. */
final class FakeSinkTaskContext implements SinkTaskContext {

    /** Rewinds not yet applied by the driver; every rewind ever asked is also in {@link #allRewinds}. */
    final Map<TopicPartition, Long> rewinds = new HashMap<>();
    final List<Map.Entry<TopicPartition, Long>> allRewinds = new ArrayList<>();
    final Set<TopicPartition> paused = Collections.synchronizedSet(new HashSet<>());
    final List<SinkRecord> reported = Collections.synchronizedList(new ArrayList<>());
    private final boolean withReporter;
    Set<TopicPartition> assignment = new HashSet<>();
    PluginMetrics metrics;

    FakeSinkTaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public synchronized void offset(Map<TopicPartition, Long> offsets) {
        offsets.forEach(this::offset);
    }

    @Override
    public synchronized void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
        allRewinds.add(Map.entry(tp, offset));
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
        paused.removeAll(List.of(partitions));
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            reported.add(record);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }
}
