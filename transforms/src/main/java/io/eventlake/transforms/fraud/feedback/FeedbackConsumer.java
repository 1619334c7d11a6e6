package io.eventlake.transforms.fraud.feedback;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the fraud reports topic from the beginning, in a background thread of its own, and queues each report in a
 * {@link ReportInbox}. Every partition is assigned (no consumer group): each task needs every report. New partitions
 * are picked up every {@code refreshMs}. {@link #caughtUp()} opens once the consumer has read up to the end offsets
 * it found at start, so a task can wait for the history before judging its first record. The consumer is only
 * touched by its thread; {@link #close()} wakes it and joins it.
 */
public final class FeedbackConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedbackConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long OFFER_WAIT_MS = 200;

    private final Consumer<byte[], byte[]> consumer;
    private final Converter converter;
    private final String topic;
    private final ReportInbox inbox;
    private final long refreshMs;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private Map<TopicPartition, Long> startEnd;
    private volatile long records;

    public FeedbackConsumer(Consumer<byte[], byte[]> consumer, Converter converter, String topic, ReportInbox inbox,
                            long refreshMs, String threadName) {
        this.consumer = consumer;
        this.converter = converter;
        this.topic = topic;
        this.inbox = inbox;
        this.refreshMs = refreshMs;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public FeedbackConsumer start() {
        thread.start();
        return this;
    }

    /** Waits up to {@code timeoutMs} for the reports that were in the topic at start; true if they were all read. */
    public boolean awaitCaughtUp(long timeoutMs) throws InterruptedException {
        return caughtUp.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Report records read so far. */
    public long records() {
        return records;
    }

    /** The error that stopped the consumer, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                if (now >= nextRefresh) {
                    assign();
                    nextRefresh = now + refreshMs;
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(Math.min(refreshMs, 1000));
                    continue;
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    Object value;
                    try {
                        value = converter.toConnectData(r.topic(), r.headers(), r.value()).value();
                    } catch (RuntimeException undecodable) {
                        // Anyone who can write to the topic can send this: skip it, count it, never stop reading.
                        inbox.skip("undecodable (" + undecodable.getMessage() + ")", r.topic() + "-" + r.partition()
                            + "@" + r.offset());
                        records++;
                        continue;
                    }
                    while (running && !inbox.offer(value, OFFER_WAIT_MS)) {
                        // The task drains the inbox as it judges records; wait for room.
                    }
                    records++;
                }
                checkCaughtUp();
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            // close()
        } catch (RuntimeException e) {
            failure = e;
            log.error("Fraud feedback consumer of topic {} stopped; reports read so far still count", topic, e);
        } finally {
            caughtUp.countDown();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Closing the fraud feedback consumer failed", e);
            }
        }
    }

    private void assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            log.debug("Fraud reports topic {} not found yet", topic);
            return;
        }
        Set<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
            .collect(Collectors.toSet());
        if (partitions.equals(consumer.assignment())) {
            return;
        }
        Set<TopicPartition> added = new java.util.HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        consumer.assign(partitions);
        consumer.seekToBeginning(added);
        if (startEnd == null) {
            startEnd = new HashMap<>(consumer.endOffsets(partitions));
            log.info("Fraud feedback consumer reading {} ({} partitions) from the beginning, {} reports to catch up",
                topic, partitions.size(), startEnd.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private void checkCaughtUp() {
        if (caughtUp() || startEnd == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : startEnd.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        log.info("Fraud feedback consumer caught up with {} ({} reports read)", topic, records);
        caughtUp.countDown();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Fraud feedback consumer thread {} did not stop within 10 s", thread.getName());
        }
        try {
            converter.close();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("Closing the fraud reports converter failed", e);
        }
    }
}
