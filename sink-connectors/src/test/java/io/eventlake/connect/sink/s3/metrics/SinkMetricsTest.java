package io.eventlake.connect.sink.s3.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.sink.s3.SinkFixture;

/** The task's metrics, registered through Connect's plugin metrics, move as the task works. */
class SinkMetricsTest {

    private static double value(Metrics metrics, String name) {
        for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
            if (e.getKey().name().equals(name)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + " in " + metrics.metrics().keySet().stream()
            .map(MetricName::name).sorted().collect(Collectors.toList()));
    }

    @Test
    void recordsFilesBytesAndGaugesAreReportedWithTheTasksTags() throws Exception {
        try (Metrics metrics = new Metrics()) {
            SinkFixture f = new SinkFixture();
            var task = f.startWithMetrics(100, new PluginMetricsImpl(metrics, Map.of("connector", "lake",
                "task", "0")), List.of(new TopicPartition(SinkFixture.TOPIC, 0)));
            task.put(SinkFixture.records(0, 150));
            SinkFixture.settle(task);
            assertEquals(150, value(metrics, "records-written-total"));
            assertEquals(1, value(metrics, "files-committed-total"));
            assertTrue(value(metrics, "bytes-committed-total") > 0);
            assertEquals(1, value(metrics, "open-files"), "the second batch's file is open");
            assertTrue(value(metrics, "buffered-bytes") > 0);
            assertTrue(value(metrics, "oldest-unflushed-age-ms") >= 0);
            assertTrue(metrics.metrics().keySet().stream().anyMatch(n -> "lake".equals(n.tags().get("connector"))
                && n.name().equals("commit-latency-avg")));
            task.stop();
            assertTrue(metrics.metrics().keySet().stream().noneMatch(n -> n.name().equals("open-files")),
                "removed when the task stops");
        }
    }
}
