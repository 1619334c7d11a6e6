package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.partition.Partitioner;
import io.eventlake.connect.sink.s3.schema.TableSchemas;

/**
 * A sink task's writer: routes records to their partition's {@link PartitionWriter}, keeps the task within its
 * memory budget, seals batches when they are due (also from a timer, so a quiet topic still lands within the wall
 * clock interval), and turns what the commit pipelines report into Connect actions: durable offsets for
 * {@code preCommit}, a rewind and a paused partition after a failed commit, a failed task after a permanent error.
 * It never throws {@code RetriableException} from {@code put}: Connect would redeliver the same records after the
 * seek of a rewind, so a rewound partition pauses instead.
 */
public final class TaskWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWriter.class);
    private static final int BUDGET_CHECK_EVERY = 64;

    /** What to do with a record whose value is null (a tombstone). */
    public enum NullValues { FAIL, IGNORE, REPORT }

    /** Where a late event lands. */
    public enum LatePolicy { EVENT_TIME, ARRIVAL }

    /** How record values arrive: Connect data from the converter, or JsonConverter's bytes for the sink to decode. */
    public enum ValueFormat { CONNECT, JSON }

    /** Behaviour knobs of the writer. */
    public record Options(NullValues nullValues, LatePolicy latePolicy, long lateThresholdMs, long closeWaitMs,
                          long retryBackoffMs, long retryBackoffMaxMs, long tickMs, long budgetWaitMs,
                          ValueFormat valueFormat, int decodeThreads) {
    }

    private final WriterSettings settings;
    private final SinkTaskContext context;
    private final Time time;
    private final WriterMetrics metrics;
    private final Options options;
    private final ExecutorService commitPool;
    private final ExecutorService uploadPool;
    private final ScheduledExecutorService timer;
    private final PartitionOpener opener;
    private final RecordLander lander;
    private final BudgetKeeper budget;
    private final PartitionPauses pauses;

    private final Map<TopicPartition, PartitionWriter> writers = new ConcurrentHashMap<>();
    private volatile ConnectException fatal;
    /** Set by the pipelines (a failed commit) and the loop (a full budget): the task thread has work to do. */
    private volatile boolean attention;
    private final WriteLoop<Work> loop;
    private final ParallelDecoder decoder;

    public TaskWriter(WriterSettings settings, ExecutorService commitPool, ExecutorService uploadPool,
                      ScheduledExecutorService timer, CheckpointStore checkpoints, TableSchemas schemas,
                      Partitioner partitioner, ErrantRecords errant, SinkTaskContext context, Time time,
                      WriterMetrics metrics, Options options, String topicsDir) {
        this.settings = settings;
        this.commitPool = commitPool;
        this.uploadPool = uploadPool;
        this.timer = timer;
        this.context = context;
        this.time = time;
        this.metrics = metrics;
        this.options = options;
        this.opener = new PartitionOpener(settings, checkpoints, topicsDir);
        this.lander = new RecordLander(schemas, partitioner, errant, metrics, options.nullValues(),
            options.latePolicy(), options.lateThresholdMs());
        this.budget = new BudgetKeeper(settings.budget(), options.budgetWaitMs(), () -> attention = true);
        this.pauses = new PartitionPauses(context, options.retryBackoffMs(), options.retryBackoffMaxMs());
        this.loop = new WriteLoop<>("eventlake-write", 2, this::write);
        this.decoder = options.valueFormat() == ValueFormat.JSON ? new ParallelDecoder(options.decodeThreads())
            : null;
        if (timer != null && settings.rotation().wallclockIntervalMs() > 0) {
            timer.scheduleWithFixedDelay(this::sealDueByWallclock, options.tickMs(), options.tickMs(),
                TimeUnit.MILLISECONDS);
        }
    }

    /** Takes each partition's checkpoint (fencing older owners), cleans what they left, and seeks to it. */
    public void open(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> seek = new HashMap<>();
        long started = System.currentTimeMillis();
        Map<TopicPartition, ? extends Lease> leases = opener.leases(partitions);
        for (TopicPartition tp : partitions) {
            Lease lease = leases.get(tp);
            PartitionWriter w = new PartitionWriter(tp, lease, settings, metrics, () -> attention = true);
            writers.put(tp, w);
            pauses.opened(tp);
            lease.next().ifPresent(next -> seek.put(tp, next));
            log.debug("{}: opened with owner epoch {}, resuming at {}", tp, lease.epoch(),
                lease.next().isPresent() ? "offset " + lease.next().getAsLong() : "the consumer's offset");
        }
        if (!partitions.isEmpty()) {
            log.info("Opened {} partition(s) in {} ms ({} at once at most), e.g. {} at owner epoch {}",
                partitions.size(), System.currentTimeMillis() - started, Math.min(PartitionOpener.OPEN_CONCURRENCY,
                    partitions.size()), partitions.iterator().next(), leases.get(partitions.iterator().next())
                    .epoch());
        }
        opener.abortOrphanUploads(partitions);
        if (!seek.isEmpty()) {
            context.offset(seek);
        }
    }

    /**
     * Hands the records to the write loop and returns: the loop encodes them while Connect decodes the next batch.
     * First acts, on this (the task's) thread, on what the commit pipelines and the loop reported.
     */
    public void put(Collection<SinkRecord> records) {
        loop.rethrow();
        long now = time.milliseconds();
        Set<TopicPartition> dropNow = Set.of();
        if (attention) {
            // Rewinds and pauses are Connect calls (the consumer is not thread-safe): the loop must be idle first,
            // and must not write records fetched before the rewind.
            loop.drain();
            attention = false;
            dropNow = handleFailures(now);
        }
        applyPauses(now);
        Set<TopicPartition> skip = dropNow;
        if (!pauses.fenced().isEmpty()) {
            skip = new HashSet<>(dropNow);
            skip.addAll(pauses.fenced());
        }
        loop.submit(new Work(records, skip, now));
    }

    /** A batch of {@code put}, the partitions whose records it must drop, and when it arrived. */
    private record Work(Collection<SinkRecord> records, Set<TopicPartition> skip, long now) {
    }

    /** The write loop's side: encodes a batch into its partitions' files and seals what is due. */
    private void write(Work work) {
        long now = work.now();
        Set<TopicPartition> dropNow = work.skip();
        Collection<SinkRecord> records = decoder == null ? work.records() : decoder.decode(work.records());
        Set<PartitionWriter> touched = new HashSet<>();
        long written = 0;
        int sinceCheck = 0;
        String lastTopic = null;
        int lastPartition = -1;
        PartitionWriter w = null;
        boolean skip = false;
        for (SinkRecord record : records) {
            String topic = record.originalTopic();
            int partition = record.originalKafkaPartition();
            if (partition != lastPartition || !topic.equals(lastTopic)) {
                TopicPartition tp = new TopicPartition(topic, partition);
                w = writers.get(tp);
                if (w == null) {
                    throw new ConnectException("received a record of " + tp + ", which is not assigned to this task");
                }
                skip = dropNow.contains(tp);
                lastTopic = topic;
                lastPartition = partition;
            }
            if (skip || !w.accepts(record.originalKafkaOffset())) {
                continue;
            }
            if (settings.tables() != null && settings.tables().landed(record.topic(), w.topicPartition(),
                record.originalKafkaOffset())) {
                // Its table holds it already (another table of the same partition was behind): done, not twice.
                w.skip(record.originalKafkaOffset(), now, null);
                continue;
            }
            touched.add(w);
            if (lander.land(w, record, now)) {
                written++;
            }
            if (w.dueBySize()) {
                w.seal();
            }
            if (++sinceCheck == BUDGET_CHECK_EVERY) {
                // Many new files in one call (a backfill over many folders) must not overshoot the budget.
                budget.keepWithin(touched, writers.values());
                touched.clear();
                sinceCheck = 0;
            }
        }
        metrics.recordsWritten(written);
        for (PartitionWriter due : writers.values()) {
            if (due.dueByWallclock(now)) {
                due.seal();
                touched.add(due);
            }
        }
        budget.keepWithin(touched, writers.values());
    }

    /** Acts on what the commit pipelines reported; returns the partitions whose records of this call to drop. */
    private Set<TopicPartition> handleFailures(long now) {
        ConnectException f = fatal;
        if (f != null) {
            throw f;
        }
        Set<TopicPartition> drop = new HashSet<>();
        for (PartitionWriter w : writers.values()) {
            CommitPipeline.Failure failure = w.takeFailure();
            if (failure == null) {
                if (w.failure() != null) {
                    // Its pipeline is still winding down: act on it at the next call.
                    attention = true;
                }
                continue;
            }
            TopicPartition tp = w.topicPartition();
            metrics.commitFailed();
            switch (failure.kind()) {
                case PERMANENT:
                    fatal = failure.error();
                    throw failure.error();
                case FENCED:
                    log.warn("{}: {}; dropping its buffered records", tp, failure.error().getMessage());
                    w.abandon();
                    pauses.fence(tp);
                    break;
                default:
                    w.resetAfterFailure();
                    long backoff = pauses.pauseAfterFailure(tp, now, w.committedNext());
                    // Nothing of this partition committed yet: start again where this task started reading it.
                    long rewindTo = w.committedNext() >= 0 ? w.committedNext() : w.firstSeenOffset();
                    log.warn("{}: commit failed ({}); reading again from offset {} in {} ms", tp,
                        failure.error().getMessage(), rewindTo, backoff, failure.error());
                    if (rewindTo >= 0) {
                        context.offset(tp, rewindTo);
                    }
                    drop.add(tp);
            }
        }
        return drop;
    }

    /** Resumes partitions whose backoff passed; pauses or resumes every partition for the memory budget. */
    private void applyPauses(long now) {
        pauses.resumeDue(now);
        if (budget.full() && budget.caughtUp() && pauses.resumeAfterBudget()) {
            budget.clearFull();
        }
        if (budget.full() && pauses.pauseForBudget(writers.keySet())) {
            log.info("Memory budget full with {} bytes waiting for S3; pausing consumption until uploads catch up",
                settings.budget().inFlightBytes());
        }
    }

    /**
     * Offsets of data in S3, for Connect to commit. Also waits for the write loop, acts on failures and seals
     * batches due by the clock.
     */
    public Map<TopicPartition, OffsetAndMetadata> preCommit() {
        // Everything put so far is written before batches due by the clock are sealed (at most two batches wait).
        loop.drain();
        long now = time.milliseconds();
        if (attention) {
            attention = false;
            handleFailures(now);
        }
        applyPauses(now);
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (PartitionWriter w : writers.values()) {
            if (w.dueByWallclock(now)) {
                w.seal();
            }
            long next = w.committedNext();
            if (next >= 0 && !pauses.isFenced(w.topicPartition())) {
                durable.put(w.topicPartition(), new OffsetAndMetadata(next));
                pauses.committed(w.topicPartition(), next);
            }
        }
        return durable;
    }

    private void sealDueByWallclock() {
        try {
            long now = time.milliseconds();
            for (PartitionWriter w : writers.values()) {
                if (w.dueByWallclock(now)) {
                    w.seal();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Sealing batches due by the wall clock failed; the task thread retries: {}", e.toString());
        }
    }

    /** Revoked partitions: lets commits already under way finish for a moment, then drops the rest. */
    public void close(Collection<TopicPartition> partitions) {
        try {
            loop.drain();
        } catch (RuntimeException e) {
            // The task is failing: what the loop held is dropped with the partitions.
        }
        long deadline = time.milliseconds() + options.closeWaitMs();
        for (TopicPartition tp : partitions) {
            PartitionWriter w = writers.remove(tp);
            if (w == null) {
                continue;
            }
            try {
                w.awaitIdle(Math.max(0, deadline - time.milliseconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            w.abandon();
            pauses.forget(tp);
        }
    }

    @Override
    public void close() {
        close(new ArrayList<>(writers.keySet()));
        loop.close();
        if (decoder != null) {
            decoder.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        commitPool.shutdown();
        uploadPool.shutdown();
        try {
            commitPool.awaitTermination(options.closeWaitMs(), TimeUnit.MILLISECONDS);
            uploadPool.awaitTermination(options.closeWaitMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commitPool.shutdownNow();
        uploadPool.shutdownNow();
    }

    // For metrics and tests.

    public long bufferedBytes() {
        return settings.budget().usedBytes();
    }

    public long memoryHighWaterBytes() {
        return settings.budget().highWaterBytes();
    }

    public int openFiles() {
        int n = 0;
        for (PartitionWriter w : writers.values()) {
            n += w.openFiles();
        }
        return n;
    }

    /** Age of the oldest record not yet in a sealed batch, or 0. */
    public long oldestUnflushedAgeMs() {
        long oldest = Long.MAX_VALUE;
        for (PartitionWriter w : writers.values()) {
            oldest = Math.min(oldest, w.oldestBufferedAtMs());
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, time.milliseconds() - oldest);
    }

    /** Waits until every partition's pipeline is idle; for tests and orderly stops. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        loop.drain();
        for (PartitionWriter w : writers.values()) {
            if (!w.awaitIdle(Math.max(0, deadline - System.currentTimeMillis()))) {
                return false;
            }
        }
        return true;
    }

    public Set<TopicPartition> assigned() {
        return writers.keySet();
    }
}
