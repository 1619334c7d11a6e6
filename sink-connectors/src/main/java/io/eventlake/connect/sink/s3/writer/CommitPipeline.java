package io.eventlake.connect.sink.s3.writer;

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
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.FencedException;
import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.PreconditionFailedException;
import io.eventlake.connect.sink.s3.storage.StorageException;

/**
 * One Kafka partition's commit pipeline: commits the sealed batches its {@link PartitionWriter} hands over one after
 * another on the commit pool, uploading each batch's files in parallel on the upload pool, through the {@link Lease}
 * protocol (intent, files, checkpoint or table commit). It reports back only through {@link #committedNext()} and
 * {@link #takeFailure()}: a failed commit drops every batch queued after it, and the task rewinds the partition to
 * the last committed offset.
 *
 * <p>Its state is guarded by its own lock, and it never calls into its partition writer, so the writer may call it
 * while holding the writer's lock (never the other way round).
 */
final class CommitPipeline {

    private static final Logger log = LoggerFactory.getLogger(CommitPipeline.class);

    /** What the pipeline last found wrong, for the task thread to act on. */
    enum FailureKind { FENCED, RETRIABLE, PERMANENT }

    record Failure(FailureKind kind, ConnectException error) {
    }

    /** A batch whose files are finished: offsets {@code start..next-1}, its bytes held in the memory budget. */
    record Sealed(long start, long next, List<ParquetFile> files, Map<String, FileUpload> uploads,
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

    private final TopicPartition tp;
    private final Lease lease;
    private final WriterSettings settings;
    private final WriterMetrics metrics;
    private final Runnable onFailure;

    private final Deque<Sealed> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean cancelled;
    private Failure failure;
    /** Our own keys of failed or dropped batches: deleted before the next intent replaces the one naming them. */
    private List<String> dirty = new ArrayList<>();
    private List<String> abandoned;
    private volatile long committedNext;

    CommitPipeline(TopicPartition tp, Lease lease, WriterSettings settings, WriterMetrics metrics,
                   Runnable onFailure) {
        this.tp = tp;
        this.lease = lease;
        this.settings = settings;
        this.metrics = metrics;
        this.onFailure = onFailure;
        this.committedNext = lease.next().orElse(-1);
        this.abandoned = lease.abandonedByPreviousOwner();
    }

    /** First offset not in committed files, or -1 when nothing was ever committed. */
    long committedNext() {
        return committedNext;
    }

    /** False once a commit failed (until the task thread took the failure) or the partition was abandoned. */
    synchronized boolean accepting() {
        return failure == null && !cancelled;
    }

    /**
     * Queues a sealed batch behind the others and starts the pipeline if it is idle. A batch that arrives after a
     * failure or a cancel is dropped like the batches queued behind a failed one.
     */
    synchronized void submit(Sealed sealed) {
        if (failure != null || cancelled) {
            drop(sealed);
            return;
        }
        queue.add(sealed);
        if (!draining) {
            draining = true;
            CompletableFuture.runAsync(this::drain, settings.commitPool());
        }
    }

    /** Fails the pipeline from the writer's side (a file that cannot be finished or spilled): the task rewinds. */
    synchronized void failRetriable(ConnectException e) {
        fail(new Failure(FailureKind.RETRIABLE, e));
    }

    /**
     * Commits queued batches in order until the queue is empty or a commit fails. A commit's last step (the lease's
     * commit) may complete later on another thread (a table's committer, which groups the batches of many
     * partitions): no thread waits for it, and the pipeline goes on from its completion, on the commit pool.
     */
    private void drain() {
        Sealed next;
        synchronized (this) {
            next = queue.peek();
            if (next == null || cancelled || failure != null) {
                draining = false;
                notifyAll();
                return;
            }
        }
        long t0 = System.nanoTime();
        CompletableFuture<Void> committed;
        try {
            committed = commit(next);
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        committed.whenCompleteAsync((done, error) -> {
            if (error == null) {
                committed(next, t0);
            } else {
                failed(next, error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error);
            }
        }, settings.commitPool());
    }

    private void committed(Sealed s, long t0) {
        metrics.batchCommitted(s.records(), (System.nanoTime() - t0) / 1_000_000);
        log.debug("{}: committed {} file(s), next offset {}", tp, s.files().size(), s.next());
        synchronized (this) {
            queue.poll();
            committedNext = s.next();
            notifyAll();
        }
        settings.budget().release(s.bytes());
        s.files().forEach(ParquetFile::discard);
        List<String> stale;
        synchronized (this) {
            stale = abandoned;
            abandoned = List.of();
        }
        try {
            // A fenced previous owner may have finished an upload after our open deleted it: delete it again.
            stale.forEach(settings.store()::delete);
        } catch (RuntimeException e) {
            synchronized (this) {
                abandoned = stale;
            }
            // The batch is committed (and stays so); the task rewinds to after it and the deletion is tried again.
            failed(null, e);
            return;
        }
        drain();
    }

    /** A commit failed ({@code s} is null when it went through but the cleanup after it failed). */
    private void failed(Sealed s, Throwable error) {
        RuntimeException e = error instanceof RuntimeException r ? r : new ConnectException(error);
        Failure f = classify(e);
        if (s != null) {
            settings.budget().release(s.bytes());
            s.discard();
            if (f.kind() == FailureKind.FENCED) {
                // Fenced: the new owner writes its own keys (its epoch); ours are safe to delete, and must go,
                // or readers would see their rows twice.
                deleteQuietly(s.files());
            }
        }
        synchronized (this) {
            if (s != null) {
                queue.poll();
                if (f.kind() != FailureKind.FENCED) {
                    // Our own keys (they carry our epoch): delete them before the next intent replaces this one.
                    s.files().forEach(file -> dirty.add(file.key()));
                }
            }
            fail(f);
            draining = false;
            notifyAll();
        }
    }

    /** Everything of a commit up to the lease's commit, which it returns (it may complete later). */
    private CompletableFuture<Void> commit(Sealed s) {
        for (Future<Void> f : s.reported()) {
            awaitReported(f);
        }
        List<String> keys = new ArrayList<>(s.files().size());
        for (ParquetFile f : s.files()) {
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
            metrics.filesCommitted(s.files().size(), uploadAll(s));
        }
        return lease.commitAsync(s.next(), s.files());
    }

    /**
     * Uploads the batch's files in parallel; returns their bytes. Every upload finishes, landed or failed, before a
     * failure is thrown: a sibling still in flight could otherwise land after the cleanup (ours, or the next
     * owner's) and stay in the lake.
     */
    private long uploadAll(Sealed s) {
        List<CompletableFuture<Long>> uploads = new ArrayList<>(s.files().size());
        for (ParquetFile f : s.files()) {
            FileUpload u = s.uploads().get(f.key());
            uploads.add(CompletableFuture.supplyAsync(() -> u.finish(f), settings.uploadPool()));
        }
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
        return bytes;
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
        if (e instanceof StorageException s) {
            return new Failure(FailureKind.PERMANENT, s);
        }
        if (e instanceof PreconditionFailedException p) {
            // A data file that already exists: only a writer of our own epoch could have written it.
            return new Failure(FailureKind.RETRIABLE, p);
        }
        return new Failure(FailureKind.RETRIABLE, e instanceof ConnectException c ? c : new ConnectException(e));
    }

    /** Records a failure and drops everything queued after it; the task thread takes it from {@link #takeFailure}. */
    private void fail(Failure f) {
        if (failure == null || f.kind().ordinal() > failure.kind().ordinal()) {
            failure = f;
        }
        onFailure.run();
        for (Sealed s : queue) {
            drop(s);
        }
        queue.clear();
    }

    private void drop(Sealed s) {
        settings.budget().release(s.bytes());
        s.discard();
        s.files().forEach(file -> dirty.add(file.key()));
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

    /**
     * The partition is revoked or the task stops: drops the batches queued. A commit under way is left to its thread,
     * which finishes it and then releases its bytes and files (once: they are its own).
     */
    synchronized void cancel() {
        cancelled = true;
        Sealed underWay = draining ? queue.poll() : null;
        for (Sealed s : queue) {
            settings.budget().release(s.bytes());
            s.discard();
        }
        queue.clear();
        if (underWay != null) {
            queue.add(underWay);
        }
    }
}
