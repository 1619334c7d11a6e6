package io.eventlake.transforms.fraud;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic from the beginning up to the end offsets found at start (the last stable offsets
 * with read_committed), and hands each decodable value, partition by partition in offset order, to a sink. Records
 * written after the start (by other tasks) are left out, so what is read is a fixed prefix of each partition. With
 * {@code state.scope=partition} it reads for one input partition only: the records whose partition header names it
 * ({@link #only}), or one partition of the topic up to a given offset ({@link #runPartition}).
 */
final class StateRestore {

    private static final Logger log = LoggerFactory.getLogger(StateRestore.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<Object> sink;
    private final Converter converter;
    private final long timeoutMs;
    private long skipped;
    private Predicate<ConsumerRecord<byte[], byte[]>> filter = r -> true;

    StateRestore(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String topic, Consumer<Object> sink,
                 Converter converter, long timeoutMs) {
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
        this.converter = converter;
        this.timeoutMs = timeoutMs;
    }

    /** Hands on only the records {@code filter} accepts (they still count as read). */
    StateRestore only(Predicate<ConsumerRecord<byte[], byte[]>> filter) {
        this.filter = filter;
        return this;
    }

    /** Reads the prefix; returns how many values were handed to the sink. */
    long run() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            log.info("Restore topic {} does not exist (yet): nothing to restore", topic);
            return 0;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return read(new HashMap<>(consumer.endOffsets(partitions)));
    }

    /**
     * Reads one partition of the topic from its beginning up to {@code endOffset} (exclusive): on a sink, the records
     * of the partition before the first one this task is handed, which the partition's previous owner judged.
     */
    long runPartition(int partition, long endOffset) {
        return runPartition(partition, -1, endOffset);
    }

    /**
     * Reads one partition of the topic from {@code fromOffset} (-1: its beginning) up to {@code endOffset} (exclusive):
     * on a sink, the records another task judged while this one did not own the partition.
     */
    long runPartition(int partition, long fromOffset, long endOffset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        if (fromOffset < 0) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seek(tp, fromOffset);
        }
        Long last = consumer.endOffsets(List.of(tp)).get(tp);
        Map<TopicPartition, Long> end = new HashMap<>();
        end.put(tp, last == null ? endOffset : Math.min(endOffset, last));
        return read(end);
    }

    private long read(Map<TopicPartition, Long> end) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long handed = 0;
        while (!caughtUp(end)) {
            if (System.currentTimeMillis() > deadline) {
                throw new ConnectException("Restoring the fraud state from " + topic + " took longer than "
                    + RestoreSettings.TIMEOUT + "=" + timeoutMs + " ms (" + handed + " records so far); the task "
                    + "fails rather than judge with part of its history. Raise the timeout or shorten the topic's "
                    + "retention.");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                Long stop = end.get(new TopicPartition(r.topic(), r.partition()));
                if (stop == null || r.offset() >= stop || r.value() == null || !filter.test(r)) {
                    continue;
                }
                Object value;
                try {
                    value = converter.toConnectData(r.topic(), r.headers(), r.value()).value();
                } catch (RuntimeException undecodable) {
                    skipped++;
                    continue;
                }
                if (value != null) {
                    sink.accept(value);
                    handed++;
                }
            }
        }
        return handed;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    long skipped() {
        return skipped;
    }
}
