package io.eventlake.connect.sink.s3;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.connect.sink.s3.storage.MultipartUpload;

/**
 * Not a test: a profiling harness for the sink task's own CPU per record, outside Connect. Records shaped like the
 * peer harness's (~690 bytes of JSON with schema) are decoded once with JsonConverter (as the worker would), then
 * put through the task in batches of 500 with a store that only counts bytes. Prints the task's records/s and, as
 * the baseline of the same run, JsonConverter's own decode rate on the same bytes.
 * {@code java -cp ... io.eventlake.connect.sink.s3.SinkTaskProfile [records] [rounds]}
 */
public final class SinkTaskProfile {

    private SinkTaskProfile() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String schema = "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":\"event_id\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"user_id\"},{\"type\":\"string\",\"optional\":false,"
            + "\"field\":\"event_type\"},{\"type\":\"string\",\"optional\":true,\"field\":\"page_url\"},{\"type\":"
            + "\"double\",\"optional\":true,\"field\":\"amount\"},{\"type\":\"int64\",\"optional\":false,\"name\":"
            + "\"org.apache.kafka.connect.data.Timestamp\",\"version\":1,\"field\":\"event_time\"}],\"optional\":false,"
            + "\"name\":\"bench.Event\"}";
        String[] types = {"page_view", "add_to_cart", "purchase", "search"};
        List<byte[]> values = new ArrayList<>(n);
        long t0 = 1_764_000_000_000L;
        for (int i = 0; i < n; i++) {
            String json = "{\"schema\":" + schema + ",\"payload\":{\"event_id\":\"" + java.util.UUID.nameUUIDFromBytes(
                Integer.toString(i).getBytes(StandardCharsets.UTF_8)) + "\",\"user_id\":\"user-" + (i % 50_000)
                + "\",\"event_type\":\"" + types[i % 4] + "\",\"page_url\":\"https://shop.example.com/p/" + (i % 997)
                + "\",\"amount\":" + (i % 4 == 2 ? (i % 1000) / 7.0 : "null") + ",\"event_time\":" + (t0 + i * 3L)
                + "}}";
            values.add(json.getBytes(StandardCharsets.UTF_8));
        }
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        for (int r = 0; r < rounds; r++) {
            long d0 = System.nanoTime();
            long h = 0;
            for (byte[] v : values) {
                h += converter.toConnectData("t", v).value().hashCode();
            }
            double decode = n / ((System.nanoTime() - d0) / 1e9);

            List<SinkRecord> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                SchemaAndValue sv = converter.toConnectData("t", values.get(i));
                records.add(new SinkRecord("t", i % 4, null, "user-" + (i % 50_000), sv.schema(), sv.value(), i / 4,
                    t0, TimestampType.CREATE_TIME));
            }
            CountingStore store = new CountingStore();
            S3ParquetSinkTask task = new S3ParquetSinkTask(s -> store, Time.SYSTEM);
            FakeSinkTaskContext context = new FakeSinkTaskContext(false);
            task.initialize(context);
            Map<String, String> props = new HashMap<>();
            props.put("s3.bucket.name", "bench");
            props.put("flush.size", "100000");
            props.put("parquet.codec", args.length > 2 ? args[2] : "snappy");
            task.start(props);
            List<TopicPartition> tps = List.of(new TopicPartition("t", 0), new TopicPartition("t", 1),
                new TopicPartition("t", 2), new TopicPartition("t", 3));
            task.open(tps);
            long s0 = System.nanoTime();
            for (int i = 0; i < n; i += 500) {
                task.put(records.subList(i, Math.min(n, i + 500)));
            }
            double putOnly = n / ((System.nanoTime() - s0) / 1e9);
            task.preCommit(Map.of());
            task.writer().awaitIdle(60_000);
            double sink = n / ((System.nanoTime() - s0) / 1e9);
            task.stop();
            System.out.printf("round %d: JsonConverter decode %,.0f rec/s; sink put %,.0f rec/s (%.2f us/rec), with "
                + "uploads done %,.0f rec/s; %,d bytes stored (h=%x)%n", r, decode, putOnly, 1e6 / putOnly, sink,
                store.bytes.get(), h);
        }
    }

    /** Accepts everything and counts the bytes of data files. */
    static final class CountingStore extends InMemoryObjectStore {
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong files = new AtomicLong();

        @Override
        public String putIfAbsent(String key, Supplier<InputStream> content, long length) {
            if (key.endsWith(".parquet")) {
                bytes.addAndGet(length);
                files.incrementAndGet();
                return "\"x\"";
            }
            return super.putIfAbsent(key, content, length);
        }

        @Override
        public synchronized MultipartUpload startMultipart(String key) {
            return new MultipartUpload() {
                @Override
                public String key() {
                    return key;
                }

                @Override
                public String uploadId() {
                    return "u";
                }

                @Override
                public void uploadPart(byte[] b, int length) {
                    bytes.addAndGet(length);
                }

                @Override
                public String completeIfAbsent() {
                    files.incrementAndGet();
                    return "\"x\"";
                }

                @Override
                public void abort() {
                }
            };
        }
    }
}
