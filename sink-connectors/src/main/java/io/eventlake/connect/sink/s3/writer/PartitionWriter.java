package io.eventlake.connect.sink.s3.writer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.FencedException;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.parquet.RowWriter;

/**
 * One Kafka partition's way into the lake. The task thread writes records into the open {@link Batch}; a batch
 * that is due is sealed (its files finished) and queued; the partition's commit pipeline then commits the sealed
 * batches one after another on the commit pool, uploading each batch's files in parallel on the upload pool, through
 * the {@link Lease} protocol (intent, files, checkpoint or table commit). The task thread goes on writing the next batch
 * meanwhile. The pipeline reports back only through {@link #committedNext()} and {@link #failure()}: a failed
 * commit drops every batch after the last committed offset, and the task rewinds the partition to it.
 */
final class PartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(PartitionWriter.class);

    /** What the pipeline last found wrong, for the task thread to act on. */
    enum FailureKind { FENCED, RETRIABLE, PERMANENT }

    record Failure(FailureKind kind, ConnectException error) {
    }

    private final TopicPartition tp;
    private final Lease lease;
    private final WriterSettings settings;
    private final WriterMetrics metrics;
    private final Runnable onFailure;

    // Task thread, under this object's lock.
    private Batch batch = new Batch();
    private boolean checkedFirstOffset;
    private long firstSeenOffset = -1;
    private long newestTimeMs = Long.MIN_VALUE;

    // Shared with the pipeline: guarded by this object's lock.
    private final Deque<Sealed> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean cancelled;
    private Failure failure;
    private List<String> dirty = new ArrayList<>();
    private List<String> abandoned;
    private volatile long committedNext;
    /** Offsets handed to sealed batches: records at or below it are in the pipeline or committed. */
    private long sealedLast = -1;

    PartitionWriter(TopicPartition tp, Lease lease, WriterSettings settings, WriterMetrics metrics,
                    Runnable onFailure) {
        this.tp = tp;
        this.onFailure = onFailure;
        this.lease = lease;
        this.settings = settings;
        this.metrics = metrics;
        this.committedNext = lease.next().orElse(-1);
        this.abandoned = lease.abandonedByPreviousOwner();
    }

    TopicPartition topicPartition() {
        return tp;
    }

    long epoch() {
        return lease.epoch();
    }

    /** First offset not in committed files, or -1 when nothing was ever committed. */
    long committedNext() {
        return committedNext;
    }

    /**
     * Whether a record at {@code offset} is new: not already committed, sealed or in the open batch (a
     * redelivery). The first offset after the partition was opened is checked against the checkpoint.
     */
    synchronized boolean accepts(long offset) {
        if (!checkedFirstOffset) {
            checkFirstOffset(offset);
        }
        return !alreadyHandled(offset);
    }

    /** True for a record already committed, sealed or in the open batch (a redelivery). */
    synchronized boolean alreadyHandled(long offset) {
        return committedNext >= 0 && offset < committedNext || offset <= sealedLast
            || !batch.isEmpty() && offset <= batch.last;
    }

    /**
     * The first record after the partition was opened must not be behind the checkpoint: if it is, the consumer
     * was reset to the start of the log because the checkpoint is beyond its end (the topic was deleted and
     * created again, or truncated). Skipping would drop the new records silently, so the task stops and says why.
     */
    synchronized void checkFirstOffset(long offset) {
        if (checkedFirstOffset) {
            return;
        }
        checkedFirstOffset = true;
        firstSeenOffset = offset;
        if (committedNext > 0 && offset < committedNext) {
            throw new ConnectException(tp + ": the lake's checkpoint " + "(epoch " + lease.epoch() + ") says offsets "
                + "below " + committedNext + " are committed, but the consumer is at " + offset + ": the checkpoint "
                + "is beyond the end of the log (was the topic deleted and created again?). To land the topic from "
                + "its start, reset the connector's offsets (stop it, then DELETE /connectors/<name>/offsets, "
                + "which removes the checkpoints too); to keep skipping what is below " + committedNext + ", alter "
                + "the offsets (PATCH /connectors/<name>/offsets) to " + committedNext + ".");
        }
        if (committedNext > 0 && offset > committedNext) {
            log.warn("{}: resuming at offset {} although the checkpoint is at {}: offsets {}..{} are not in the log "
                + "any more (retention or compaction removed them before they landed)", tp, offset, committedNext,
                committedNext, offset - 1);
        }
    }

    /** The first offset this task read of the partition, or -1. */
    synchronized long firstSeenOffset() {
        return firstSeenOffset;
    }

    /** Writes one row into the folder's open file, starting a new file on a schema change or when it is full. */
    synchronized void write(SinkRecord record, Struct value, RowWriter plan, String folder, long timeMs, long nowMs) {
        plan.check(value);
        ParquetFile file = batch.open.get(folder);
        if (file != null && file.schema() != plan.target() && !file.schema().equals(plan.target())) {
            rollFile(folder, file);
            file = null;
        }
        if (file == null) {
            long offset = record.originalKafkaOffset();
            String key = folder + "/" + settings.names().name(tp.topic(), tp.partition(), offset, lease.epoch());
            FileUpload upload = new FileUpload(key, settings.store(), settings.uploadPool(), settings.budget());
            file = new ParquetFile(key, plan.target(), settings.parquet(), upload);
            if (settings.tables() != null) {
                file.tag(settings.tables().fileTag(record.topic(), record, value));
            }
            batch.open.put(folder, file);
            batch.uploads.put(key, upload);
            metrics.fileOpened();
        }
        file.write(plan, record, value);
        batch.handled(record.originalKafkaOffset(), nowMs);
        batch.time(timeMs);
        newestTimeMs = Math.max(newestTimeMs, timeMs);
        if (settings.rotation().fileFull(file.sizeEstimate())) {
            rollFile(folder, file);
        }
    }

    private void rollFile(String folder, ParquetFile file) {
        closeFile(file);
        batch.closed.add(file);
        batch.open.remove(folder);
    }

    private void closeFile(ParquetFile file) {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            throw new ConnectException(tp + ": cannot finish Parquet file " + file.key(), e);
        }
    }

    /** Counts a record as handled without data: it went to the dead letter queue (or was dropped on purpose). */
    synchronized void skip(long offset, long nowMs, Future<Void> reported) {
        batch.handled(offset, nowMs);
        if (reported != null) {
            batch.reported.add(reported);
        }
    }

    /** Would a record at {@code timeMs} make the batch span too much event time? */
    synchronized boolean dueByEventTime(long timeMs) {
        return !batch.isEmpty() && batch.minTimeMs <= batch.maxTimeMs
            && settings.rotation().dueByEventTime(batch.minTimeMs, batch.maxTimeMs, timeMs);
    }

    synchronized boolean dueBySize() {
        return settings.rotation().dueBySize(batch.handled);
    }

    synchronized boolean dueByWallclock(long nowMs) {
        return !batch.isEmpty() && settings.rotation().dueByWallclock(batch.firstBufferedAtMs, nowMs);
    }

    synchronized boolean hasOpenBatch() {
        return !batch.isEmpty();
    }

    synchronized long oldestBufferedAtMs() {
        return batch.isEmpty() ? Long.MAX_VALUE : batch.firstBufferedAtMs;
    }

    synchronized long bufferedBytes() {
        return batch.bufferedBytes();
    }

    synchronized int openFiles() {
        return batch.open.size();
    }

    /** Newest record time this task wrote for the partition, or Long.MIN_VALUE. */
    synchronized long newestTimeMs() {
        return newestTimeMs;
    }

    /**
     * Moves the rows of the open batch's files from the heap to the task's spill folder, so the batch keeps growing
     * into large files instead of being committed early. A segment that cannot be written fails the batch like a
     * failed commit (everything after the committed offset is dropped and read again).
     * @return heap bytes freed; 0 when nothing could spill (the caller commits the batch early instead)
     */
    synchronized long spill() {
        if (batch.isEmpty() || failure != null || cancelled || !settings.spill().enabled()) {
            return 0;
        }
        long freed = 0;
        try {
            for (ParquetFile f : batch.open.values()) {
                freed += f.spill(settings.spill());
            }
        } catch (IOException e) {
            Batch b = batch;
            batch = new Batch();
            b.discard();
            fail(new Failure(FailureKind.RETRIABLE, new ConnectException(tp + ": cannot spill open files to "
                + settings.spill().dir() + " (spill.dir): " + e.getMessage(), e)));
            return 0;
        }
        return freed;
    }

    /**
     * Finishes the open batch's files and queues the batch for commit. A file that cannot be finished fails the
     * batch like a failed commit: everything after the committed offset is dropped and read again.
     */
    synchronized void seal() {
        if (batch.isEmpty() || failure != null || cancelled) {
            return;
        }
        Batch b = batch;
        batch = new Batch();
        List<ParquetFile> files = new ArrayList<>(b.closed);
        try {
            for (ParquetFile f : b.open.values()) {
                closeFile(f);
                files.add(f);
            }
        } catch (ConnectException e) {
            b.discard();
            fail(new Failure(FailureKind.RETRIABLE, e));
            return;
        }
        long bytes = 0;
        for (ParquetFile f : files) {
            bytes += f.bytes().capacity();
        }
        settings.budget().hold(bytes);
        sealedLast = b.last;
        queue.add(new Sealed(b.start, b.last + 1, files, b.uploads, b.reported, bytes, b.handled));
        if (!draining) {
            draining = true;
            CompletableFuture.runAsync(this::drain, settings.commitPool());
        }
    }

    private record Sealed(long start, long next, List<ParquetFile> files, Map<String, FileUpload> uploads,
                          List<Future<Void>> reported, long bytes, long records) {
        void discard() {
            for (ParquetFile f : files) {
                f.discard();
            }
            for (FileUpload u : uploads.values()) {
                u.abort();
            }
        }
    }

    /** The pipeline: commits queued batches in order until the queue is empty or a commit fails. */
    private void drain() {
        while (true) {
            Sealed next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || cancelled || failure != null) {
                    draining = false;
                    notifyAll();
                    return;
                }
            }
            try {
                commit(next);
                synchronized (this) {
                    queue.poll();
                    committedNext = next.next;
                    notifyAll();
                }
            } catch (RuntimeException e) {
                settings.budget().release(next.bytes);
                next.discard();
                Failure f = classify(e);
                if (f.kind() == FailureKind.FENCED) {
                    // Fenced: the new owner writes its own keys (its epoch); ours are safe to delete, and must go,
                    // or readers would see their rows twice.
                    deleteQuietly(next.files);
                }
                synchronized (this) {
                    queue.poll();
                    if (f.kind() != FailureKind.FENCED) {
                        // Our own keys (they carry our epoch): delete them before the next intent replaces this one.
                        next.files.forEach(file -> dirty.add(file.key()));
                    }
                    fail(f);
                    draining = false;
                    notifyAll();
                }
                return;
            }
            settings.budget().release(next.bytes);
            next.files.forEach(ParquetFile::discard);
        }
    }

    private void deleteQuietly(List<ParquetFile> files) {
        for (ParquetFile file : files) {
            try {
                settings.store().delete(file.key());
            } catch (RuntimeException e) {
                log.warn("{}: cannot delete {} after being fenced; delete it by hand: {}", tp, file.key(),
                    e.getMessage());
            }
        }
    }

    private void commit(Sealed s) {
        long t0 = System.nanoTime();
        for (Future<Void> f : s.reported) {
            awaitReported(f);
        }
        List<String> keys = new ArrayList<>(s.files.size());
        for (ParquetFile f : s.files) {
            keys.add(f.key());
        }
        List<String> toClean;
        synchronized (this) {
            toClean = dirty;
            dirty = new ArrayList<>();
        }
        try {
            toClean.forEach(settings.store()::delete);
        } catch (RuntimeException e) {
            synchronized (this) {
                dirty.addAll(toClean);
            }
            throw e;
        }
        if (!keys.isEmpty()) {
            lease.intend(keys);
            List<CompletableFuture<Long>> uploads = new ArrayList<>(s.files.size());
            for (ParquetFile f : s.files) {
                FileUpload u = s.uploads.get(f.key());
                uploads.add(CompletableFuture.supplyAsync(() -> u.finish(f), settings.uploadPool()));
            }
            // Every upload of the batch finishes, landed or failed, before a failure is thrown: a sibling still in
            // flight could otherwise land after the cleanup (ours, or the next owner's) and stay in the lake.
            try {
                CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException failedOne) {
                // Thrown below, from the first upload that failed.
            }
            long bytes = 0;
            for (CompletableFuture<Long> u : uploads) {
                try {
                    bytes += u.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new ConnectException(e.getCause());
                }
            }
            metrics.filesCommitted(s.files.size(), bytes);
        }
        lease.commit(s.next, s.files);
        metrics.batchCommitted(s.records, (System.nanoTime() - t0) / 1_000_000);
        List<String> stale;
        synchronized (this) {
            stale = abandoned;
            abandoned = List.of();
        }
        if (!stale.isEmpty()) {
            // A fenced previous owner may have finished an upload after our open deleted it: delete it again.
            stale.forEach(settings.store()::delete);
        }
        log.debug("{}: committed {} file(s), next offset {}", tp, s.files.size(), s.next);
    }

    private void awaitReported(Future<Void> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException(tp + ": interrupted while sending records to the dead letter queue", e);
        } catch (ExecutionException e) {
            throw new RetriableException(tp + ": cannot send a record to the dead letter queue", e.getCause());
        }
    }

    private static Failure classify(RuntimeException e) {
        if (e instanceof FencedException f) {
            return new Failure(FailureKind.FENCED, f);
        }
        if (e instanceof RetriableException r) {
            return new Failure(FailureKind.RETRIABLE, r);
        }
        if (e instanceof io.eventlake.connect.sink.s3.storage.StorageException s) {
            return new Failure(FailureKind.PERMANENT, s);
        }
        if (e instanceof io.eventlake.connect.sink.s3.storage.PreconditionFailedException p) {
            // A data file that already exists: only a writer of our own epoch could have written it.
            return new Failure(FailureKind.RETRIABLE, p);
        }
        return new Failure(FailureKind.RETRIABLE, e instanceof ConnectException c ? c : new ConnectException(e));
    }

    /** Records a failure and drops everything queued after it; the task thread takes it from {@link #failure()}. */
    private void fail(Failure f) {
        if (failure == null || f.kind().ordinal() > failure.kind().ordinal()) {
            failure = f;
        }
        onFailure.run();
        for (Sealed s : queue) {
            settings.budget().release(s.bytes);
            s.discard();
            s.files.forEach(file -> dirty.add(file.key()));
        }
        queue.clear();
    }

    /** The pipeline's failure, if any; clears it once the task thread has taken it after draining stopped. */
    synchronized Failure takeFailure() {
        if (failure == null || draining) {
            return null;
        }
        Failure f = failure;
        failure = null;
        return f;
    }

    synchronized Failure failure() {
        return failure;
    }

    /**
     * After a failed commit: drops the open batch (the sealed ones are gone already) so the partition starts again
     * at {@link #committedNext()}, where the task rewinds the consumer.
     */
    synchronized void resetAfterFailure() {
        batch.discard();
        batch = new Batch();
        sealedLast = -1;
        checkedFirstOffset = true;
    }

    /** Waits until the pipeline is idle, up to {@code timeoutMs}; true when it is. */
    synchronized boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (draining) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** The partition is revoked or the task stops: nothing more is written for it. Best effort, no waiting. */
    synchronized void abandon() {
        cancelled = true;
        batch.discard();
        batch = new Batch();
        for (Sealed s : queue) {
            settings.budget().release(s.bytes);
            s.discard();
        }
        queue.clear();
    }
}
