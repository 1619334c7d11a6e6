package io.eventlake.transforms.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * A plugin's counters and gauges, readable by a plain getter (tests) and, once the worker hands over its
 * {@link PluginMetrics} (KIP-877, Kafka 4.1+), published with the worker's metrics: JMX
 * {@code kafka.connect:type=plugins,connector=<c>,task=<t>,transformation=<alias>} (or {@code predicate=<alias>})
 * and every configured metrics reporter. The worker removes them when it closes the plugin.
 */
public final class PluginCounters {

    private record Entry(String name, String description, LongSupplier value) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A counter that only grows; thread-safe, cheap to increment. */
    public LongAdder counter(String name, String description) {
        LongAdder adder = new LongAdder();
        entries.add(new Entry(name, description, adder::sum));
        return adder;
    }

    /** A value read when a reporter asks. */
    public void gauge(String name, String description, LongSupplier value) {
        entries.add(new Entry(name, description, value));
    }

    /** The current value of a counter or gauge by name. */
    public long get(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return e.value().getAsLong();
            }
        }
        throw new IllegalArgumentException("no metric " + name);
    }

    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    public void register(PluginMetrics metrics) {
        for (Entry e : entries) {
            MetricName name = metrics.metricName(e.name(), e.description(), new LinkedHashMap<>());
            LongSupplier value = e.value();
            metrics.addMetric(name, (Gauge<Long>) (config, now) -> value.getAsLong());
        }
    }
}
