package io.eventlake.connect.sink.s3;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Not a test: the sink's memory on the worst case. One task owns {@code partitions} Kafka partitions whose
 * events are spread over {@code hours} event-time hours (so every partition keeps that many hour folders open),
 * records of ~10 columns. Run it in a small heap ({@code java -Xmx256m ...}); it prints the heap high-water mark
 * (peak of every heap pool, as the JVM reports it), the task's own accounting, and how many files were written.
 * The store keeps nothing but checkpoints (data files are counted and dropped), so the heap is the sink's.
 * {@code java -Xmx256m -cp ... io.eventlake.connect.sink.s3.SinkMemoryProfile [partitions] [hours] [records]
 * [memory.budget.bytes] [spill.max.bytes]} (0 for the last turns spilling off).
 */
public final class SinkMemoryProfile {

    private SinkMemoryProfile() {
    }

    public static void main(String[] args) throws Exception {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        long total = args.length > 2 ? Long.parseLong(args[2]) : 3_000_000L;
        String budget = args.length > 3 ? args[3] : Long.toString(64L * 1024 * 1024);
        Schema schema = SchemaBuilder.struct().name("io.eventlake.Event")
            .field("event_id", Schema.STRING_SCHEMA).field("user_id", Schema.STRING_SCHEMA)
            .field("event_type", Schema.STRING_SCHEMA).field("page_url", Schema.OPTIONAL_STRING_SCHEMA)
            .field("device", Schema.OPTIONAL_STRING_SCHEMA).field("country", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Schema.OPTIONAL_FLOAT64_SCHEMA).field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("session", Schema.OPTIONAL_INT64_SCHEMA).field("event_time", Timestamp.SCHEMA).build();
        SinkTaskProfile.CountingStore store = new SinkTaskProfile.CountingStore();
        // A clock of its own: nothing is due by the wall clock until the end, when every open batch is.
        ManualTime clock = new ManualTime();
        S3ParquetSinkTask task = new S3ParquetSinkTask(s -> store, clock);
        task.initialize(new FakeSinkTaskContext(false));
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket.name", "bench");
        props.put("flush.size", "100000");
        props.put("memory.budget.bytes", budget);
        if (args.length > 4) {
            props.put("spill.max.bytes", args[4]);
        }
        props.put("rotate.wallclock.interval.ms", "3600000");
        task.start(props);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition("events", p));
        }
        task.open(tps);
        long t0 = 1_764_000_000_000L;
        long[] next = new long[partitions];
        long sent = 0;
        long start = System.nanoTime();
        while (sent < total) {
            List<SinkRecord> batch = new ArrayList<>(2000);
            for (int i = 0; i < 2000 && sent < total; i++, sent++) {
                int p = (int) (sent % partitions);
                long offset = next[p]++;
                long hour = (offset + p) % hours;
                Struct v = new Struct(schema).put("event_id", "e-" + p + "-" + offset).put("user_id", "u-" + (sent % 5000))
                    .put("event_type", "view").put("page_url", "https://shop.example.com/p/" + (sent % 997))
                    .put("device", "ios").put("country", "FR").put("amount", (double) (sent % 100))
                    .put("quantity", (int) (sent % 5)).put("session", sent / 20)
                    .put("event_time", new Date(t0 + hour * 3_600_000L + offset));
                batch.add(new SinkRecord("events", p, null, null, schema, v, offset, t0, TimestampType.CREATE_TIME));
            }
            task.put(batch);
        }
        clock.advance(3_600_001);
        task.preCommit(Map.of());
        task.writer().awaitIdle(120_000);
        long files = store.files.get();
        StringBuilder pools = new StringBuilder();
        long oldGenAfterGc = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                pools.append(pools.length() == 0 ? "" : ", ").append(pool.getName()).append(' ')
                    .append(pool.getPeakUsage().getUsed() >> 20).append(" MiB");
                if (pool.getName().contains("Old") && pool.getCollectionUsage() != null) {
                    oldGenAfterGc = pool.getCollectionUsage().getUsed() >> 20;
                }
            }
        }
        System.out.printf("partitions %d, hours %d, records %,d in %.1f s; max heap %,d MiB; peak per heap pool: %s;"
            + " old generation after the last collection %,d MiB; task budget %s bytes, its high-water %,d MiB;"
            + " data files %,d (%,.0f records each), %,d bytes%n", partitions, hours, total,
            (System.nanoTime() - start) / 1e9, Runtime.getRuntime().maxMemory() >> 20, pools, oldGenAfterGc, budget,
            task.writer().memoryHighWaterBytes() >> 20, files, total / (double) Math.max(1, files), store.bytes.get());
        System.out.printf("spill folder %s: at most %,d bytes on disk (bound %,d), %,d segments written%n",
            task.spill().enabled() ? task.spill().dir() : "off", task.spill().highWaterBytes(), task.spill().maxBytes(),
            task.spill().segmentsWritten());
        task.stop();
    }
}
