package io.eventlake.connect.sink.s3.iceberg;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A table's own record of what a connector landed: every snapshot the connector commits carries, in its summary
 * under {@code eventlake.offsets.<connector>}, the next offset of each Kafka partition the commit covers, as JSON
 * ({@code {"events-0": 1200, "events-3": 880}}). A partition's committed offset is the one in the newest snapshot
 * (following parents from the current one) that covers it.
 */
final class TableOffsets {

    static final String PREFIX = "eventlake.offsets.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableOffsets() {
    }

    static String key(String connector) {
        return PREFIX + connector;
    }

    static String encode(Map<TopicPartition, Long> next) {
        Map<String, Long> byName = new TreeMap<>();
        next.forEach((tp, offset) -> byName.put(tp.topic() + "-" + tp.partition(), offset));
        try {
            return JSON.writeValueAsString(byName);
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }

    static Map<TopicPartition, Long> decode(String json) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            Map<String, Long> byName = JSON.readValue(json, new TypeReference<Map<String, Long>>() { });
            byName.forEach((name, offset) -> {
                int dash = name.lastIndexOf('-');
                out.put(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))),
                    offset);
            });
        } catch (IOException | RuntimeException e) {
            throw new ConnectException("a snapshot summary has unreadable offsets '" + json + "'", e);
        }
        return out;
    }

    /** Where a partition's offset is recorded: the offset and the snapshot's commit time. */
    record Recorded(long next, long timestampMs) {
    }

    /** Every partition the connector recorded, from the current snapshot back, with the newest record of each. */
    static Map<TopicPartition, Recorded> all(TableMetadata metadata, String connector) {
        Map<TopicPartition, Recorded> found = new HashMap<>();
        String key = key(connector);
        Snapshot s = metadata.currentSnapshot();
        while (s != null) {
            String json = s.summary() == null ? null : s.summary().get(key);
            if (json != null) {
                long at = s.timestampMillis();
                decode(json).forEach((tp, next) -> found.putIfAbsent(tp, new Recorded(next, at)));
            }
            s = s.parentId() == null ? null : metadata.snapshot(s.parentId());
        }
        return found;
    }

    /** The committed next offset of each wanted partition that any snapshot from the current one back records. */
    static Map<TopicPartition, Long> committed(TableMetadata metadata, String connector,
                                               Collection<TopicPartition> wanted) {
        Map<TopicPartition, Long> found = new HashMap<>();
        String key = key(connector);
        Snapshot s = metadata.currentSnapshot();
        while (s != null && found.size() < wanted.size()) {
            String json = s.summary() == null ? null : s.summary().get(key);
            if (json != null) {
                for (Map.Entry<TopicPartition, Long> e : decode(json).entrySet()) {
                    if (wanted.contains(e.getKey())) {
                        found.putIfAbsent(e.getKey(), e.getValue());
                    }
                }
            }
            s = s.parentId() == null ? null : metadata.snapshot(s.parentId());
        }
        return found;
    }
}
