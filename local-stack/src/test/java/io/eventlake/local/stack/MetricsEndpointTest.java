package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.management.ObjectName;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    @Test
    void servesPluginMetricsFromJmxInThePrometheusTextFormat() throws Exception {
        try (Metrics metrics = new Metrics(new MetricConfig(), java.util.List.of(new JmxReporter()), Time.SYSTEM,
            new org.apache.kafka.common.metrics.KafkaMetricsContext("kafka.connect"));
             PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, Map.of("connector", "lake-sink", "task", "0"));
             MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            plugin.addMetric(plugin.metricName("records-flagged-total", "flagged", new java.util.LinkedHashMap<>()),
                (Gauge<Long>) (c, now) -> 42L);
            assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kafka.connect:*"), null)
                .size() > 0);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + endpoint.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(body.contains("# TYPE kafka_connect_plugins_records_flagged_total gauge"), body);
            assertTrue(body.contains("kafka_connect_plugins_records_flagged_total{connector=\"lake-sink\",task=\"0\"} "
                + "42.0"), body);
        }
    }
}
