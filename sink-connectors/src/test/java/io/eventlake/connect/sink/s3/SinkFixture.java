package io.eventlake.connect.sink.s3;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/** Records, tasks and lake reads shared by the sink's task-level tests. */
public final class SinkFixture {

    public static final String TOPIC = "events";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    static final Schema SCHEMA = SchemaBuilder.struct().name("Event")
        .field("id", Schema.INT64_SCHEMA)
        .field("event_time", Timestamp.builder().optional().build())
        .build();
    /** 2024-08-05T10:00:00Z; offsets >= 1000 fall in the next hour. */
    static final long T0 = 1_722_852_000_000L;
    static final String CHECKPOINT = "_eventlake/checkpoints/topics/events/0.json";

    final InMemoryObjectStore store;
    final ManualTime time = new ManualTime();

    public SinkFixture() {
        this(new InMemoryObjectStore());
    }

    SinkFixture(InMemoryObjectStore store) {
        this.store = store;
    }

    static Map<String, String> props(int flushSize, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket.name", "bucket");
        props.put("flush.size", Integer.toString(flushSize));
        props.put("rotate.wallclock.interval.ms", "60000");
        props.put("commit.retry.backoff.ms", "10");
        props.put("commit.retry.backoff.max.ms", "20");
        props.putAll(extra);
        return props;
    }

    /** A started task (its S3 is {@link #store}) with the partitions opened. */
    S3ParquetSinkTask start(int flushSize, boolean withReporter, FakeSinkTaskContext[] contextOut,
                            Map<String, String> extra, List<TopicPartition> partitions) {
        S3ParquetSinkTask task = new S3ParquetSinkTask(settings -> store, time);
        FakeSinkTaskContext context = new FakeSinkTaskContext(withReporter);
        context.assignment = new java.util.HashSet<>(partitions);
        task.initialize(context);
        task.start(props(flushSize, extra));
        task.open(partitions);
        if (contextOut != null) {
            contextOut[0] = context;
        }
        return task;
    }

    /** A started task whose context hands out {@code metrics} as its plugin metrics. */
    public S3ParquetSinkTask startWithMetrics(int flushSize, org.apache.kafka.common.metrics.PluginMetrics metrics,
                                       List<TopicPartition> partitions) {
        S3ParquetSinkTask task = new S3ParquetSinkTask(settings -> store, time);
        FakeSinkTaskContext context = new FakeSinkTaskContext(false);
        context.metrics = metrics;
        task.initialize(context);
        task.start(props(flushSize, Map.of()));
        task.open(partitions);
        return task;
    }

    S3ParquetSinkTask start(int flushSize) {
        return start(flushSize, false, null, Map.of(), List.of(TP));
    }

    /** Polls the condition every few milliseconds for up to 30 s; whether it came true. */
    static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * A backfill's partition logs: {@code partitions} partitions of {@code perPartition} records each (ids
     * {@code p * 1,000,000 + offset}), whose event times cycle over {@code hours} event-time hours from {@link #T0}
     * ({@code (offset * 7 + p) % hours}), so every partition keeps that many hour folders open.
     */
    static Map<TopicPartition, List<SinkRecord>> backfill(int partitions, int perPartition, int hours) {
        Map<TopicPartition, List<SinkRecord>> logs = new java.util.LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<SinkRecord> log = new ArrayList<>(perPartition);
            for (long offset = 0; offset < perPartition; offset++) {
                long eventTime = T0 + ((offset * 7 + p) % hours) * 3_600_000L;
                Struct value = new Struct(SCHEMA).put("id", p * 1_000_000L + offset).put("event_time",
                    new Date(eventTime));
                log.add(new SinkRecord(TOPIC, p, null, null, SCHEMA, value, offset, eventTime,
                    TimestampType.CREATE_TIME));
            }
            logs.put(new TopicPartition(TOPIC, p), log);
        }
        return logs;
    }

    /** Waits until every commit the task started has finished. */
    public static void settle(S3ParquetSinkTask task) {
        try {
            if (!task.writer().awaitIdle(30_000)) {
                throw new AssertionError("commits still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Puts the records and waits until the task's write loop has handled them, so a failure they cause is thrown
     * here (the loop encodes after put returns; its failure surfaces at the task's next call).
     */
    static void putAndSettle(S3ParquetSinkTask task, java.util.Collection<SinkRecord> records) {
        task.put(records);
        settle(task);
    }

    static SinkRecord record(long offset) {
        return record(0, offset);
    }

    static SinkRecord record(int partition, long offset) {
        long eventTime = T0 + (offset < 1000 ? offset : 3_600_000L + offset);
        Struct value = new Struct(SCHEMA).put("id", partition * 1_000_000L + offset)
            .put("event_time", new Date(eventTime));
        return new SinkRecord(TOPIC, partition, null, null, SCHEMA, value, offset, eventTime,
            TimestampType.CREATE_TIME);
    }

    public static List<SinkRecord> records(long from, long to) {
        return records(0, from, to);
    }

    static List<SinkRecord> records(int partition, long from, long to) {
        return LongStream.range(from, to).mapToObj(o -> record(partition, o)).toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** The id of every row in every Parquet file of the store, sorted (duplicates kept). */
    List<Long> idsInLake() throws Exception {
        List<byte[]> files;
        synchronized (store) {
            files = store.objects.entrySet().stream().filter(e -> e.getKey().endsWith(".parquet"))
                .map(Map.Entry::getValue).toList();
        }
        if (files.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> row : ParquetReader.rows(files, "SELECT id FROM t ORDER BY id")) {
            ids.add((Long) row.get("id"));
        }
        return ids;
    }

    String checkpoint() {
        synchronized (store) {
            byte[] b = store.objects.get(CHECKPOINT);
            return b == null ? null : new String(b);
        }
    }
}
