package io.eventlake.connect.sink.s3.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

import io.eventlake.connect.sink.s3.writer.WriterMetrics;

/**
 * The sink task's metrics, registered through Connect's plugin metrics (KIP-877), so they appear in the worker's
 * JMX and metrics reporters beside Connect's own, tagged with the connector and task:
 * {@code kafka.connect:type=plugins,connector=<name>,task=<n>}. Totals and rates of records written and reported,
 * files and bytes committed, commit latency and failures; gauges of open files, buffered bytes, the memory
 * high-water mark and the age of the oldest record not yet sealed for upload.
 */
public final class SinkMetrics implements WriterMetrics, AutoCloseable {

    private final PluginMetrics metrics;
    private final Sensor written;
    private final Sensor reported;
    private final Sensor opened;
    private final Sensor files;
    private final Sensor bytes;
    private final Sensor latency;
    private final Sensor failures;
    private final List<MetricName> gauges = new ArrayList<>();
    private final List<String> sensors = new ArrayList<>();

    public SinkMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        written = counter("records-written", "Records written to Parquet files");
        reported = counter("records-reported", "Records sent to the dead letter queue (or skipped under "
            + "errors.tolerance=all)");
        opened = counter("files-opened", "Parquet files opened");
        files = counter("files-committed", "Parquet files committed to S3");
        bytes = counter("bytes-committed", "Bytes of Parquet files committed to S3");
        failures = counter("commit-failures", "Commits that failed and were retried from the last committed offset");
        latency = sensor("commit-latency");
        latency.add(name("commit-latency-avg", "Average time to commit a batch (intent, uploads, checkpoint), ms"),
            new Avg());
        latency.add(name("commit-latency-max", "Longest time to commit a batch, ms"), new Max());
    }

    /** Gauges read from the writer when a reporter asks. */
    public void gauges(LongSupplier openFiles, LongSupplier bufferedBytes, LongSupplier highWater,
                       LongSupplier oldestAgeMs) {
        gauge("open-files", "Parquet files open for writing", openFiles);
        gauge("buffered-bytes", "Bytes of data not yet in S3 (open files and uploads under way)", bufferedBytes);
        gauge("memory-high-water-bytes", "Highest buffered-bytes since the task started", highWater);
        gauge("oldest-unflushed-age-ms", "Age of the oldest record not yet sealed for upload", oldestAgeMs);
    }

    /** Gauges of table mode, read from the task's tables when a reporter asks (totals since the task started). */
    public void tableGauges(LongSupplier commits, LongSupplier conflicts, LongSupplier rewrites,
                            LongSupplier filesMerged, LongSupplier snapshotsExpired) {
        gauge("table-commits-total", "Iceberg appends this task committed", commits);
        gauge("table-commit-conflicts-total", "Appends that lost a race with another writer and were retried",
            conflicts);
        gauge("table-rewrites-total", "Compaction rewrites this task committed", rewrites);
        gauge("table-files-merged-total", "Small files its rewrites replaced", filesMerged);
        gauge("table-snapshots-expired-total", "Snapshots this task expired", snapshotsExpired);
    }

    private Sensor counter(String base, String description) {
        Sensor s = sensor(base);
        s.add(name(base + "-total", description + ", in all"), new CumulativeSum());
        s.add(name(base + "-rate", description + ", per second"), new Rate());
        return s;
    }

    private Sensor sensor(String name) {
        sensors.add(name);
        return metrics.addSensor(name);
    }

    private MetricName name(String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }

    private void gauge(String name, String description, LongSupplier value) {
        MetricName n = name(name, description);
        metrics.addMetric(n, (Gauge<Long>) (config, now) -> value.getAsLong());
        gauges.add(n);
    }

    @Override
    public void recordsWritten(long count) {
        if (count > 0) {
            written.record(count);
        }
    }

    @Override
    public void recordsReported(long count) {
        reported.record(count);
    }

    @Override
    public void fileOpened() {
        opened.record();
    }

    @Override
    public void filesCommitted(int count, long byteCount) {
        files.record(count);
        bytes.record(byteCount);
    }

    @Override
    public void batchCommitted(long records, long latencyMs) {
        latency.record(latencyMs);
    }

    @Override
    public void commitFailed() {
        failures.record();
    }

    @Override
    public void close() {
        gauges.forEach(metrics::removeMetric);
        sensors.forEach(metrics::removeSensor);
    }
}
