package io.eventlake.transforms.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.transforms.util.PluginCounters;

/**
 * A compacted topic held in memory as a table, the way a stream processor joins a stream with a global table: a
 * background consumer of its own (no consumer group: it is assigned every partition) reads the topic from the
 * beginning and keeps reading; the last value of a key wins, a tombstone deletes the key. The first load is done
 * when the consumer has reached the end offsets the topic had when it started; {@link #awaitReady} waits for that
 * up to a timeout, then fails or goes on with what it has. New keys beyond the bound are refused and counted;
 * records whose key or value cannot be read are skipped and counted. Partitions added to the topic are picked up
 * within a minute.
 */
final class TopicReferenceData implements ReferenceData {

    private static final Logger log = LoggerFactory.getLogger(TopicReferenceData.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long PARTITION_CHECK_MS = 60_000;
    private static final long ERROR_BACKOFF_MS = 1_000;

    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final Columns columns;
    private final int maxEntries;
    private final long loadTimeoutMs;
    private final boolean proceedOnTimeout;
    private final Time time;

    private final Map<String, Object[]> table = new ConcurrentHashMap<>();
    private final CountDownLatch loadedLatch = new CountDownLatch(1);
    private final Map<TopicPartition, Long> loadTarget = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final LongAdder updates;
    private final LongAdder deletes;
    private final LongAdder rejected;
    private final LongAdder skipped;

    private volatile boolean running = true;
    private volatile boolean loaded;
    private volatile boolean ready;
    private volatile String lastError;
    private volatile String resolveError;
    private boolean rejectWarned;
    private long nextPartitionCheck;
    private long startedMs;
    private Thread thread;

    TopicReferenceData(String topic, Consumer<byte[], byte[]> consumer, Converter keyConverter,
                       Converter valueConverter, Columns columns, int maxEntries, long loadTimeoutMs,
                       boolean proceedOnTimeout, Time time, PluginCounters metrics) {
        this.topic = topic;
        this.consumer = consumer;
        this.keyConverter = keyConverter;
        this.valueConverter = valueConverter;
        this.columns = columns;
        this.maxEntries = maxEntries;
        this.loadTimeoutMs = loadTimeoutMs;
        this.proceedOnTimeout = proceedOnTimeout;
        this.time = time;
        this.updates = metrics.counter("table-updates-total", "Reference records applied to the table.");
        this.deletes = metrics.counter("table-deletes-total", "Tombstones applied to the table.");
        this.rejected = metrics.counter("rejected-entries-total",
            "New keys refused because the table held lookup.max.entries entries.");
        this.skipped = metrics.counter("skipped-records-total",
            "Reference records skipped: no key, or a key or value that could not be read or converted.");
        metrics.gauge("table-entries", "Entries in the lookup table.", this::size);
        metrics.gauge("table-loaded", "1 once the first load has reached the topic's end, else 0.",
            () -> loaded ? 1 : 0);
    }

    /** Starts the consumer thread. */
    TopicReferenceData start() {
        startedMs = time.milliseconds();
        thread = new Thread(this::run, "eventlake-enrich-topic-" + topic);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                try {
                    step();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    lastError = e.toString();
                    log.warn("Reading lookup topic {} failed; retrying in {} ms", topic, ERROR_BACKOFF_MS, e);
                    time.sleep(ERROR_BACKOFF_MS);
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Closing the consumer of lookup topic {} failed", topic, e);
            }
        }
    }

    /** One round: (re)assign partitions when due, poll once, apply what came. Runs on the consumer thread. */
    void step() {
        long now = time.milliseconds();
        if (assigned.isEmpty() || now >= nextPartitionCheck) {
            assignPartitions();
            nextPartitionCheck = now + (assigned.isEmpty() ? ERROR_BACKOFF_MS : PARTITION_CHECK_MS);
            if (assigned.isEmpty()) {
                time.sleep(ERROR_BACKOFF_MS);
                return;
            }
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        synchronized (this) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                apply(r);
            }
            if (!loaded && caughtUp()) {
                try {
                    resolve();
                } catch (IllegalArgumentException e) {
                    // A default that does not fit the inferred type: no retry can help, so stop and say why.
                    resolveError = e.getMessage();
                    running = false;
                    loadedLatch.countDown();
                    return;
                }
                loaded = true;
                loadedLatch.countDown();
                log.info("Loaded {} entries from lookup topic {} in {} ms", table.size(), topic,
                    time.milliseconds() - startedMs);
            }
        }
    }

    private void assignPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            lastError = "topic " + topic + " does not exist or has no partitions";
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos) {
            TopicPartition tp = new TopicPartition(topic, info.partition());
            if (assigned.add(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(new ArrayList<>(assigned));
        consumer.seekToBeginning(added);
        if (!loaded) {
            loadTarget.putAll(consumer.endOffsets(added));
        }
        log.debug("Lookup topic {}: reading partitions {} from the beginning", topic, added);
    }

    private boolean caughtUp() {
        for (Map.Entry<TopicPartition, Long> e : loadTarget.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return !loadTarget.isEmpty();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key;
        try {
            Object k = keyConverter.toConnectData(topic, r.key()).value();
            if (k == null) {
                skip(r, "no key");
                return;
            }
            key = KeyText.of(k);
        } catch (RuntimeException e) {
            skip(r, "key: " + e.getMessage());
            return;
        }
        Object value;
        try {
            value = r.value() == null ? null : valueConverter.toConnectData(topic, r.value()).value();
        } catch (RuntimeException e) {
            skip(r, "value: " + e.getMessage());
            return;
        }
        if (value == null) {
            if (table.remove(key) != null) {
                deletes.increment();
            }
            return;
        }
        Object[] row = pick(value);
        if (row == null) {
            skip(r, "value is a " + value.getClass().getSimpleName() + ", not a Struct or Map");
            return;
        }
        if (columns.resolved()) {
            try {
                columns.convert(row);
            } catch (IllegalArgumentException e) {
                skip(r, e.getMessage());
                return;
            }
        }
        if (table.size() >= maxEntries && !table.containsKey(key)) {
            rejected.increment();
            if (!rejectWarned) {
                rejectWarned = true;
                log.warn("Lookup table of topic {} is full (lookup.max.entries={}): new keys are refused and counted "
                    + "in rejected-entries-total, lookups of them miss", topic, maxEntries);
            }
            return;
        }
        table.put(key, row);
        updates.increment();
    }

    private Object[] pick(Object value) {
        List<String> names = columns.names();
        Object[] row = new Object[names.size()];
        if (value instanceof Struct struct) {
            for (int i = 0; i < row.length; i++) {
                Field f = struct.schema().field(names.get(i));
                row[i] = f == null ? null : struct.get(f);
            }
            return row;
        }
        if (value instanceof Map<?, ?> map) {
            for (int i = 0; i < row.length; i++) {
                row[i] = map.get(names.get(i));
            }
            return row;
        }
        return null;
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
        skipped.increment();
        log.debug("Skipping lookup record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), why);
    }

    /** Fixes the column types from what is loaded and converts it; the first call wins. */
    private synchronized void resolve() {
        if (columns.resolved()) {
            return;
        }
        columns.resolve(table.values());
        table.entrySet().removeIf(e -> {
            try {
                columns.convert(e.getValue());
                return false;
            } catch (IllegalArgumentException ex) {
                skipped.increment();
                log.debug("Dropping lookup entry {} of topic {}: {}", e.getKey(), topic, ex.getMessage());
                return true;
            }
        });
    }

    @Override
    public void awaitReady() {
        if (ready) {
            return;
        }
        boolean done;
        try {
            done = loadedLatch.await(loadTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for lookup topic " + topic + " to load", e);
        }
        if (resolveError != null) {
            throw new ConnectException("Lookup topic " + topic + ": " + EnrichConfig.DEFAULTS + " does not fit the "
                + "types inferred from the data: " + resolveError + "; declare the types in "
                + EnrichConfig.FIELD_TYPES);
        }
        if (!done) {
            String why = lastError == null ? "" : "; last error: " + lastError;
            if (!proceedOnTimeout) {
                throw new ConnectException("Lookup topic " + topic + " was not loaded within "
                    + EnrichConfig.TOPIC_LOAD_TIMEOUT_MS + "=" + loadTimeoutMs + " ms (" + table.size()
                    + " entries so far" + why + "); set " + EnrichConfig.TOPIC_LOAD_ON_TIMEOUT
                    + "=proceed to go on with a partial table");
            }
            log.warn("Lookup topic {} was not loaded within {} ms ({} entries so far{}); going on, lookups of keys not "
                + "loaded yet get status {}", topic, loadTimeoutMs, table.size(), why, Enrich.STATUS_LOADING);
            try {
                resolve();
            } catch (IllegalArgumentException e) {
                throw new ConnectException("Lookup topic " + topic + ": " + EnrichConfig.DEFAULTS + " does not fit "
                    + "the types inferred from the data: " + e.getMessage() + "; declare the types in "
                    + EnrichConfig.FIELD_TYPES);
            }
        }
        ready = true;
    }

    @Override
    public Object[] get(String key) {
        return table.get(key);
    }

    @Override
    public boolean loading() {
        return !loaded;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public void close() {
        running = false;
        if (thread == null) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(30_000);
            if (thread.isAlive()) {
                log.warn("The consumer thread of lookup topic {} did not stop within 30 s", topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
