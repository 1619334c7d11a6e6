package io.eventlake.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * The exactly-once check of the sink ITs: every (topic, partition, offset) present in the topic (read_committed, so
 * the offsets of transaction markers an exactly-once source leaves are not expected) is in the lake exactly once,
 * and nothing else is. The lake is read by DuckDB from the bucket folder, through the {@code kafka_topic},
 * {@code kafka_partition} and {@code kafka_offset} columns the sink writes with
 * {@code parquet.metadata.columns=topic,partition,offset}.
 */
final class LakeAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LakeAudit() {
    }

    /** Offsets present in the topic, by partition. */
    static Map<Integer, TreeSet<Long>> topicOffsets(EmbeddedStack stack, String topic) {
        Map<Integer, TreeSet<Long>> offsets = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            offsets.computeIfAbsent(r.partition(), p -> new TreeSet<>()).add(r.offset());
        }
        return offsets;
    }

    /** The checkpoint of a partition as the sink wrote it into the bucket, or null. */
    static JsonNode checkpoint(EmbeddedStack stack, String topic, int partition) throws IOException {
        Path file = stack.bucketDir().resolve("_eventlake/checkpoints/topics").resolve(topic)
            .resolve(partition + ".json");
        for (int attempt = 1; ; attempt++) {
            try {
                return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
            } catch (IOException e) {
                // The S3 server may be replacing the file right now.
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** True when every partition's checkpoint is past the partition's last offset, with nothing pending. */
    static boolean committedThrough(EmbeddedStack stack, String topic, Map<Integer, TreeSet<Long>> offsets)
        throws IOException {
        for (Map.Entry<Integer, TreeSet<Long>> p : offsets.entrySet()) {
            JsonNode cp = checkpoint(stack, topic, p.getKey());
            if (cp == null || cp.path("next").asLong(-1) <= p.getValue().last() || !cp.path("pending").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until the checkpoints say everything in the topic is committed (or the connector fails, or time runs
     * out), then checks the lake record by record against the topic.
     */
    static void awaitExactlyOnce(EmbeddedStack stack, String connector, String topic, int seconds) throws Exception {
        Map<Integer, TreeSet<Long>> offsets = topicOffsets(stack, topic);
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!committedThrough(stack, topic, offsets) && System.currentTimeMillis() < deadline) {
            String failure = stack.connect().failure(connector);
            if (failure != null) {
                throw new AssertionError(failure);
            }
            Thread.sleep(250);
        }
        assertExactlyOnce(stack, topic, offsets);
    }

    /** Every offset of {@code expected} in the lake once; nothing else; checkpoints past the end, none pending. */
    static void assertExactlyOnce(EmbeddedStack stack, String topic, Map<Integer, TreeSet<Long>> expected)
        throws Exception {
        Map<Integer, Map<Long, Long>> landed = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> row : Lake.query(stack.bucketDir(), topic, "SELECT kafka_topic AS t, "
            + "kafka_partition AS p, kafka_offset AS o, count(*) AS n FROM lake GROUP BY ALL")) {
            if (!topic.equals(row.get("t"))) {
                problems.add("a row of topic " + row.get("t") + " in the folder of " + topic);
                continue;
            }
            landed.computeIfAbsent(((Number) row.get("p")).intValue(), p -> new HashMap<>())
                .put(((Number) row.get("o")).longValue(), ((Number) row.get("n")).longValue());
        }
        long total = 0;
        for (Map.Entry<Integer, TreeSet<Long>> p : expected.entrySet()) {
            Map<Long, Long> inLake = landed.getOrDefault(p.getKey(), Map.of());
            List<Long> missing = new ArrayList<>();
            List<String> doubled = new ArrayList<>();
            for (long offset : p.getValue()) {
                long n = inLake.getOrDefault(offset, 0L);
                if (n == 0) {
                    missing.add(offset);
                } else if (n > 1) {
                    doubled.add(offset + " x" + n);
                }
            }
            TreeSet<Long> extra = new TreeSet<>(inLake.keySet());
            extra.removeAll(p.getValue());
            total += p.getValue().size();
            report(problems, topic + "-" + p.getKey() + ": " + missing.size() + " offset(s) missing", missing);
            report(problems, topic + "-" + p.getKey() + ": " + doubled.size() + " offset(s) landed more than once",
                doubled);
            report(problems, topic + "-" + p.getKey() + ": " + extra.size() + " offset(s) not in the topic",
                new ArrayList<>(extra));
            JsonNode cp = checkpoint(stack, topic, p.getKey());
            if (cp == null || cp.path("next").asLong(-1) <= p.getValue().last() || !cp.path("pending").isEmpty()) {
                problems.add(topic + "-" + p.getKey() + ": checkpoint " + cp + " does not cover offset "
                    + p.getValue().last());
            }
        }
        for (Integer p : landed.keySet()) {
            if (!expected.containsKey(p)) {
                problems.add(topic + "-" + p + ": rows of a partition with no records in the topic");
            }
        }
        if (total == 0) {
            problems.add(topic + ": the topic is empty; nothing was checked");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the lake does not hold " + topic + " exactly once (" + total
                + " records in the topic):\n  " + String.join("\n  ", problems));
        }
    }

    private static void report(List<String> problems, String what, List<?> items) {
        if (!items.isEmpty()) {
            problems.add(what + ", e.g. " + items.subList(0, Math.min(10, items.size())));
        }
    }
}
