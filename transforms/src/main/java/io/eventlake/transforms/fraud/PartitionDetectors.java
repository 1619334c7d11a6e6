package io.eventlake.transforms.fraud;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

import io.eventlake.transforms.fraud.feedback.Report;

/**
 * {@code state.scope=partition}: one {@link FraudDetector} per input partition, as a Kafka Streams task keeps its
 * state per input partition. A source record's partition is its source partition (the generator's lane); a sink
 * record's is its original topic-partition. A record is judged against its partition's state only, so its verdict
 * does not depend on which task owns which partitions: not on {@code tasks.max}, a rebalance or a restart. Every
 * detector gets every fraud report; the reports read so far are kept (at most {@code keptReports}, oldest dropped
 * first) for the detector of a partition that appears later. Not thread-safe: the task thread only.
 */
final class PartitionDetectors {

    /** Where a record's state lives. */
    static final class Slot {
        final FraudDetector detector;
        /** The source partition as a header value ({@link #label}); null for a sink partition. */
        final String label;
        /** The sink partition's topic and number; null / -1 for a source partition. */
        final String topic;
        final int partition;
        /** On a sink: the offset after the last record judged in the partition (-1 before the first). */
        long nextOffset = -1;

        Slot(FraudDetector detector, String label, String topic, int partition) {
            this.detector = detector;
            this.label = label;
            this.topic = topic;
            this.partition = partition;
        }
    }

    /** The source partition of a record without one (a connector that sets none): all such records share a slot. */
    private static final Object NO_PARTITION = new Object();

    private final Supplier<FraudDetector> factory;
    private final int keptReports;
    private final Map<Object, Slot> slots = new HashMap<>();
    private final ArrayDeque<Report> reports = new ArrayDeque<>();
    private long droppedReports;
    private Object lastSourceKey;
    private String lastTopic;
    private int lastPartition = -1;
    private Slot last;

    PartitionDetectors(Supplier<FraudDetector> factory, int keptReports) {
        this.factory = factory;
        this.keptReports = keptReports;
    }

    /** The record's slot, or null when its partition has none yet ({@link #create}). */
    Slot find(ConnectRecord<?> record) {
        if (record instanceof SinkRecord s) {
            String topic = s.originalTopic();
            int partition = s.originalKafkaPartition() == null ? -1 : s.originalKafkaPartition();
            if (last != null && partition == lastPartition && topic.equals(lastTopic)) {
                return last;
            }
            Slot found = slots.get(new SinkPartition(topic, partition));
            if (found != null) {
                last = found;
                lastTopic = topic;
                lastPartition = partition;
                lastSourceKey = null;
            }
            return found;
        }
        Object key = sourceKey(record);
        if (last != null && key == lastSourceKey) {
            return last;
        }
        Slot found = slots.get(key);
        if (found != null) {
            last = found;
            lastSourceKey = key;
            lastTopic = null;
            lastPartition = -1;
        }
        return found;
    }

    /** Makes the slot of the record's partition, its detector fed every report kept. */
    Slot create(ConnectRecord<?> record) {
        FraudDetector detector = factory.get();
        for (Report r : reports) {
            detector.accept(r);
        }
        Slot slot;
        if (record instanceof SinkRecord s) {
            int partition = s.originalKafkaPartition() == null ? -1 : s.originalKafkaPartition();
            slot = new Slot(detector, null, s.originalTopic(), partition);
            slots.put(new SinkPartition(s.originalTopic(), partition), slot);
        } else {
            Object key = sourceKey(record);
            slot = new Slot(detector, key == NO_PARTITION ? "" : label((Map<?, ?>) key), null, -1);
            slots.put(key, slot);
        }
        last = null;
        return slot;
    }

    private static Object sourceKey(ConnectRecord<?> record) {
        Map<String, ?> p = record instanceof SourceRecord s ? s.sourcePartition() : null;
        return p == null ? NO_PARTITION : p;
    }

    /** A source partition as text that is the same in every JVM: its entries sorted by key, {@code k=v,k2=v2}. */
    static String label(Map<?, ?> sourcePartition) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<String, Object>(stringKeys(sourcePartition)).entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** A report read: to every detector now, and kept for the detectors of partitions that appear later. */
    void report(Report r) {
        for (Slot s : slots.values()) {
            s.detector.accept(r);
        }
        if (keptReports > 0) {
            if (reports.size() == keptReports) {
                reports.removeFirst();
                droppedReports++;
            }
            reports.addLast(r);
        }
    }

    /** Reports no longer kept for partitions that appear later. */
    long droppedReports() {
        return droppedReports;
    }

    int size() {
        return slots.size();
    }

    Iterable<Slot> slots() {
        return slots.values();
    }

    void clear() {
        for (Slot s : slots.values()) {
            s.detector.clear();
        }
        slots.clear();
        reports.clear();
        last = null;
    }

    private record SinkPartition(String topic, int partition) {
    }
}
