package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.commit.PartitionLease;
import io.eventlake.connect.sink.s3.partition.Partitioner;
import io.eventlake.connect.sink.s3.schema.TableSchemas;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

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
    private final CheckpointStore checkpoints;
    private final TableSchemas schemas;
    private final Partitioner partitioner;
    private final ErrantRecords errant;
    private final SinkTaskContext context;
    private final Time time;
    private final WriterMetrics metrics;
    private final Options options;
    private final String topicsDir;
    private final ExecutorService commitPool;
    private final ExecutorService uploadPool;
    private final ScheduledExecutorService timer;

    private final Map<TopicPartition, PartitionWriter> writers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> measured = new HashMap<>();
    private long measuredTotal;
    private final Set<TopicPartition> fenced = new HashSet<>();
    private final Map<TopicPartition, Paused> paused = new HashMap<>();
    private final Set<TopicPartition> budgetPaused = new HashSet<>();
    private volatile ConnectException fatal;
    /** Set by the pipelines (a failed commit) and the loop (a full budget): the task thread has work to do. */
    private volatile boolean attention;
    private volatile boolean budgetFull;
    private final WriteLoop<Work> loop;
    private final ParallelDecoder decoder;

    /** A partition whose commit failed: paused until {@code resumeAtMs} (0 once resumed) and read again. */
    private record Paused(long resumeAtMs, int failures, long committedAtFailure) {
    }

    public TaskWriter(WriterSettings settings, ExecutorService commitPool, ExecutorService uploadPool,
                      ScheduledExecutorService timer, CheckpointStore checkpoints, TableSchemas schemas,
                      Partitioner partitioner, ErrantRecords errant, SinkTaskContext context, Time time,
                      WriterMetrics metrics, Options options, String topicsDir) {
        this.settings = settings;
        this.commitPool = commitPool;
        this.uploadPool = uploadPool;
        this.timer = timer;
        this.checkpoints = checkpoints;
        this.schemas = schemas;
        this.partitioner = partitioner;
        this.errant = errant;
        this.context = context;
        this.time = time;
        this.metrics = metrics;
        this.options = options;
        this.topicsDir = topicsDir;
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
        Map<TopicPartition, ? extends Lease> leases = settings.tables() != null
            ? settings.tables().open(partitions) : acquireAll(partitions);
        for (TopicPartition tp : partitions) {
            Lease lease = leases.get(tp);
            PartitionWriter w = new PartitionWriter(tp, lease, settings, metrics, () -> attention = true);
            writers.put(tp, w);
            fenced.remove(tp);
            paused.remove(tp);
            lease.next().ifPresent(next -> seek.put(tp, next));
            log.debug("{}: opened with owner epoch {}, resuming at {}", tp, lease.epoch(),
                lease.next().isPresent() ? "offset " + lease.next().getAsLong() : "the consumer's offset");
        }
        if (!partitions.isEmpty()) {
            log.info("Opened {} partition(s) in {} ms ({} at once at most), e.g. {} at owner epoch {}",
                partitions.size(), System.currentTimeMillis() - started, Math.min(OPEN_CONCURRENCY,
                    partitions.size()), partitions.iterator().next(), leases.get(partitions.iterator().next())
                    .epoch());
        }
        abortOrphanUploads(partitions);
        if (!seek.isEmpty()) {
            context.offset(seek);
        }
    }

    /** Partitions whose checkpoints are taken over at once when a rebalance assigns many. */
    static final int OPEN_CONCURRENCY = 32;

    /**
     * Takes over the partitions' checkpoints, up to {@link #OPEN_CONCURRENCY} at once: each is a few S3 round trips,
     * so thousands of partitions opened one after another would hold the rebalance for minutes. Every acquisition
     * finishes before the first failure, if any, is thrown.
     */
    private Map<TopicPartition, PartitionLease> acquireAll(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionLease> leases = new HashMap<>();
        if (partitions.size() <= 1) {
            for (TopicPartition tp : partitions) {
                leases.put(tp, PartitionLease.acquire(checkpoints, settings.store(), tp));
            }
            return leases;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(OPEN_CONCURRENCY, partitions.size()), r -> {
                Thread t = new Thread(r, "eventlake-open");
                t.setDaemon(true);
                return t;
            });
        try {
            Map<TopicPartition, java.util.concurrent.CompletableFuture<PartitionLease>> pending = new HashMap<>();
            for (TopicPartition tp : partitions) {
                pending.put(tp, java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> PartitionLease.acquire(checkpoints, settings.store(), tp), pool));
            }
            RuntimeException first = null;
            for (Map.Entry<TopicPartition, java.util.concurrent.CompletableFuture<PartitionLease>> e
                : pending.entrySet()) {
                try {
                    leases.put(e.getKey(), e.getValue().join());
                } catch (java.util.concurrent.CompletionException failed) {
                    if (first == null) {
                        first = failed.getCause() instanceof RuntimeException r ? r
                            : new org.apache.kafka.connect.errors.ConnectException(failed.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return leases;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Multipart uploads a previous owner started and never finished cost storage until aborted. */
    private void abortOrphanUploads(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            patterns.add(settings.names().ofPartition(tp.topic(), tp.partition()));
        }
        for (ObjectStore.PendingUpload u : settings.store().pendingUploads(topicsDir + "/")) {
            String name = u.key().substring(u.key().lastIndexOf('/') + 1);
            if (patterns.stream().anyMatch(p -> p.matcher(name).matches())) {
                log.info("Aborting multipart upload of {} left by an earlier owner", u.key());
                settings.store().abortUpload(u);
            }
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
        resumeDue(now);
        applyBudgetPause();
        Set<TopicPartition> skip = dropNow;
        if (!fenced.isEmpty()) {
            skip = new HashSet<>(dropNow);
            skip.addAll(fenced);
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
            if (writeOne(w, record, now)) {
                written++;
            }
            if (w.dueBySize()) {
                w.seal();
            }
            if (++sinceCheck == BUDGET_CHECK_EVERY) {
                // Many new files in one call (a backfill over many folders) must not overshoot the budget.
                keepWithinBudget(touched);
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
        keepWithinBudget(touched);
    }

    /** Writes a record, or reports it; true when it was written. */
    private boolean writeOne(PartitionWriter w, SinkRecord record, long now) {
        long offset = record.originalKafkaOffset();
        try {
            if (record instanceof ParallelDecoder.Undecodable bad) {
                throw bad.error();
            }
            Object value = record.value();
            if (value == null) {
                switch (options.nullValues()) {
                    case IGNORE:
                        w.skip(offset, now, null);
                        return false;
                    case FAIL:
                        throw new ConnectException(where(record) + " has a null value (a tombstone) and "
                            + "behavior.on.null.values=fail");
                    default:
                        throw new DataException(where(record) + " has a null value (a tombstone); the Parquet sink "
                            + "writes only records with values (behavior.on.null.values=ignore skips them)");
                }
            }
            if (!(value instanceof Struct struct)) {
                throw new DataException(where(record) + " has a value without a Struct schema ("
                    + (record.valueSchema() == null ? "schemaless " + value.getClass().getSimpleName()
                    : record.valueSchema().type()) + "); the Parquet sink needs Struct values, e.g. from a converter "
                    + "with schemas enabled");
            }
            TableSchemas.Resolution r = schemas.resolve(record.topic(), struct.schema());
            if (!r.accepted()) {
                throw new DataException(where(record) + " cannot land in the lake folder of topic '" + record.topic()
                    + "': " + r.rejection());
            }
            long timeMs = partitioner.timeOf(record);
            if (options.latePolicy() == LatePolicy.ARRIVAL) {
                long newest = w.newestTimeMs();
                if (newest != Long.MIN_VALUE && timeMs < newest - options.lateThresholdMs()) {
                    timeMs = newest;
                }
            }
            String folder = partitioner.folder(record, timeMs);
            if (w.dueByEventTime(timeMs)) {
                w.seal();
            }
            w.write(record, struct, r.writer(), folder, timeMs, now);
            return true;
        } catch (DataException e) {
            String message = e.getMessage() != null && e.getMessage().startsWith("record ") ? e.getMessage()
                : where(record) + ": " + e.getMessage();
            DataException named = message.equals(e.getMessage()) ? e : new DataException(message, e);
            Future<Void> reported = errant.report(record, named);
            w.skip(offset, now, reported);
            metrics.recordsReported(1);
            return false;
        }
    }

    static String where(SinkRecord record) {
        return "record " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
            + record.originalKafkaOffset();
    }

    /**
     * Measures the open files of the partitions written to; while the task is over its memory budget, spills the
     * largest partitions' open files to disk (or, when that is off or full, commits them early); pauses consumption
     * while sealed bytes waiting for S3 alone fill the budget.
     */
    private void keepWithinBudget(Set<PartitionWriter> touched) {
        for (PartitionWriter w : touched) {
            long bytes = w.bufferedBytes();
            Long before = measured.put(w.topicPartition(), bytes);
            measuredTotal += bytes - (before == null ? 0 : before);
        }
        MemoryBudget budget = settings.budget();
        budget.openBytes(measuredTotal);
        while (budget.overBudget()) {
            PartitionWriter largest = null;
            long largestBytes = 0;
            for (PartitionWriter w : writers.values()) {
                Long bytes = measured.get(w.topicPartition());
                if (bytes != null && bytes > largestBytes && w.hasOpenBatch()) {
                    largest = w;
                    largestBytes = bytes;
                }
            }
            if (largest == null) {
                break;
            }
            if (largest.spill() > 0) {
                log.debug("Memory budget of {} bytes reached; spilled {} ({} bytes open) to disk", budget.limitBytes(),
                    largest.topicPartition(), largestBytes);
            } else {
                log.debug("Memory budget of {} bytes reached; committing {} early ({} bytes open)",
                    budget.limitBytes(), largest.topicPartition(), largestBytes);
                largest.seal();
            }
            long now = largest.hasOpenBatch() ? largest.bufferedBytes() : 0L;
            if (now >= largestBytes) {
                // Neither spilling nor sealing freed anything (a failed batch): stop rather than loop.
                break;
            }
            measured.put(largest.topicPartition(), now);
            measuredTotal -= largestBytes - now;
            budget.openBytes(measuredTotal);
        }
        if (budget.overBudget()) {
            waitForUploads();
        }
    }

    private void waitForUploads() {
        MemoryBudget budget = settings.budget();
        try {
            if (budget.awaitInFlightAtMost(Math.max(0, budget.limitBytes() - measuredTotal), options.budgetWaitMs())) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // Uploads are slower than the input: the task thread stops consuming until they catch up.
        budgetFull = true;
        attention = true;
    }

    /** On the task thread: pauses every partition while the budget is full of bytes waiting for S3. */
    private void applyBudgetPause() {
        if (!budgetFull) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(writers.keySet());
        all.removeAll(budgetPaused);
        if (!all.isEmpty()) {
            log.info("Memory budget full with {} bytes waiting for S3; pausing consumption until uploads catch up",
                settings.budget().inFlightBytes());
            budgetPaused.addAll(all);
            context.pause(all.toArray(new TopicPartition[0]));
        }
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
                    fenced.add(tp);
                    context.pause(tp);
                    measured.remove(tp);
                    break;
                default:
                    Paused before = paused.get(tp);
                    int failures = before == null ? 1 : before.failures() + 1;
                    long backoff = backoff(failures);
                    w.resetAfterFailure();
                    // Nothing of this partition committed yet: start again where this task started reading it.
                    long rewindTo = w.committedNext() >= 0 ? w.committedNext() : w.firstSeenOffset();
                    log.warn("{}: commit failed ({}); reading again from offset {} in {} ms", tp,
                        failure.error().getMessage(), rewindTo, backoff, failure.error());
                    if (rewindTo >= 0) {
                        context.offset(tp, rewindTo);
                    }
                    context.pause(tp);
                    paused.put(tp, new Paused(now + backoff, failures, w.committedNext()));
                    drop.add(tp);
                    measured.remove(tp);
            }
        }
        return drop;
    }

    private long backoff(int failures) {
        long max = Math.min(options.retryBackoffMaxMs(), options.retryBackoffMs() << Math.min(failures - 1, 20));
        // Full jitter: tasks that failed together do not retry together.
        return ThreadLocalRandom.current().nextLong(Math.max(1, max / 2), Math.max(2, max + 1));
    }

    private void resumeDue(long now) {
        List<TopicPartition> resume = new ArrayList<>();
        paused.forEach((tp, p) -> {
            if (now >= p.resumeAtMs() && p.resumeAtMs() > 0) {
                resume.add(tp);
            }
        });
        for (TopicPartition tp : resume) {
            // Keep the failure count until a commit succeeds, so repeated failures back off further.
            Paused p = paused.get(tp);
            paused.put(tp, new Paused(0, p.failures(), p.committedAtFailure()));
            context.resume(tp);
        }
        if (!budgetPaused.isEmpty() && settings.budget().usedBytes() <= settings.budget().limitBytes() / 2) {
            Set<TopicPartition> again = new HashSet<>(budgetPaused);
            again.removeIf(paused::containsKey);
            budgetPaused.clear();
            budgetFull = false;
            if (!again.isEmpty()) {
                context.resume(again.toArray(new TopicPartition[0]));
            }
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
        resumeDue(now);
        applyBudgetPause();
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (PartitionWriter w : writers.values()) {
            if (w.dueByWallclock(now)) {
                w.seal();
            }
            long next = w.committedNext();
            if (next >= 0 && !fenced.contains(w.topicPartition())) {
                durable.put(w.topicPartition(), new OffsetAndMetadata(next));
                Paused p = paused.get(w.topicPartition());
                if (p != null && p.resumeAtMs() == 0 && next > p.committedAtFailure()) {
                    // A commit went through since the failure: the next failure backs off from the start.
                    paused.remove(w.topicPartition());
                }
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
            Long bytes = measured.remove(tp);
            measuredTotal -= bytes == null ? 0 : bytes;
            fenced.remove(tp);
            paused.remove(tp);
            budgetPaused.remove(tp);
        }
        settings.budget().openBytes(measuredTotal);
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
