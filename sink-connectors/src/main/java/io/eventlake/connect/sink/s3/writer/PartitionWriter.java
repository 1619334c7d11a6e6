package io.eventlake.connect.sink.s3.writer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.commit.Lease;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.parquet.RowWriter;

/**
 * One Kafka partition's batch builder. The task thread writes records into the open {@link Batch}; a batch that is
 * due is sealed (its files finished) and handed to the partition's {@link CommitPipeline}, which commits it on the
 * commit pool while the task thread goes on writing the next batch. What the pipeline reports (the committed offset,
 * a failure) is read through this class; after a failure the task rewinds the partition to the committed offset and
 * {@link #resetAfterFailure()} drops the open batch.
 */
final class PartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(PartitionWriter.class);

    private final TopicPartition tp;
    private final Lease lease;
    private final WriterSettings settings;
    private final WriterMetrics metrics;
    private final CommitPipeline pipeline;

    // Task thread, under this object's lock.
    private Batch batch = new Batch();
    private boolean checkedFirstOffset;
    private long firstSeenOffset = -1;
    private long newestTimeMs = Long.MIN_VALUE;
    private boolean cancelled;
    /** The open batch's bytes as last measured: this partition's share of the budget's open bytes. */
    private long measuredBytes;
    /** Offsets handed to sealed batches: records at or below it are in the pipeline or committed. */
    private long sealedLast = -1;

    PartitionWriter(TopicPartition tp, Lease lease, WriterSettings settings, WriterMetrics metrics,
                    Runnable onFailure) {
        this.tp = tp;
        this.lease = lease;
        this.settings = settings;
        this.metrics = metrics;
        this.pipeline = new CommitPipeline(tp, lease, settings, metrics, onFailure);
    }

    TopicPartition topicPartition() {
        return tp;
    }

    /** First offset not in committed files, or -1 when nothing was ever committed. */
    long committedNext() {
        return pipeline.committedNext();
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
        long committedNext = pipeline.committedNext();
        return committedNext >= 0 && offset < committedNext || offset <= sealedLast
            || !batch.isEmpty() && offset <= batch.last;
    }

    /**
     * The first record after the partition was opened must not be behind the checkpoint: if it is, the consumer
     * was reset to the start of the log because the checkpoint is beyond its end (the topic was deleted and
     * created again, or truncated). Skipping would drop the new records silently, so the task stops and says why.
     * Ahead of the checkpoint is normal by one offset on a transactional topic (the commit marker after the last
     * record landed); a larger gap is said at WARN with its possible causes, as the sink cannot tell aborted
     * transactions from records removed by retention.
     */
    synchronized void checkFirstOffset(long offset) {
        if (checkedFirstOffset) {
            return;
        }
        checkedFirstOffset = true;
        firstSeenOffset = offset;
        long committedNext = pipeline.committedNext();
        if (committedNext > 0 && offset < committedNext) {
            throw new ConnectException(tp + ": the lake's checkpoint " + "(epoch " + lease.epoch() + ") says offsets "
                + "below " + committedNext + " are committed, but the consumer is at " + offset + ": the checkpoint "
                + "is beyond the end of the log (was the topic deleted and created again?). To land the topic from "
                + "its start, reset the connector's offsets (stop it, then DELETE /connectors/<name>/offsets, "
                + "which removes the checkpoints too); to keep skipping what is below " + committedNext + ", alter "
                + "the offsets (PATCH /connectors/<name>/offsets) to " + committedNext + ".");
        }
        if (committedNext > 0 && offset == committedNext + 1) {
            // The usual case on a transactional topic (exactly-once sources): the offset after the last record landed
            // holds the transaction's commit marker, which a consumer never delivers.
            log.debug("{}: resuming at offset {}; offset {} (a transaction marker) was not delivered", tp, offset,
                committedNext);
        } else if (committedNext > 0 && offset > committedNext) {
            log.warn("{}: resuming at offset {} although the checkpoint is at {}: offsets {}..{} were not delivered "
                + "to the sink (records of aborted transactions and transaction markers, on a transactional topic; "
                + "or records that retention or compaction removed before they landed)", tp, offset, committedNext,
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

    /** Measures the open batch again and tells the memory budget the difference; returns the bytes measured. */
    synchronized long measure() {
        long bytes = batch.bufferedBytes();
        settings.budget().openChanged(bytes - measuredBytes);
        measuredBytes = bytes;
        return bytes;
    }

    /** The open batch's bytes as last measured. */
    synchronized long measuredBytes() {
        return measuredBytes;
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
        if (batch.isEmpty() || cancelled || !pipeline.accepting() || !settings.spill().enabled()) {
            return 0;
        }
        long freed = 0;
        try {
            for (ParquetFile f : batch.open.values()) {
                freed += f.spill(settings.spill());
            }
            measure();
        } catch (IOException e) {
            Batch b = batch;
            batch = new Batch();
            b.discard();
            measure();
            pipeline.failRetriable(new ConnectException(tp + ": cannot spill open files to "
                + settings.spill().dir() + " (spill.dir): " + e.getMessage(), e));
            return 0;
        }
        return freed;
    }

    /**
     * Finishes the open batch's files and hands the batch to the commit pipeline. A file that cannot be finished
     * fails the batch like a failed commit: everything after the committed offset is dropped and read again.
     */
    synchronized void seal() {
        if (batch.isEmpty() || cancelled || !pipeline.accepting()) {
            return;
        }
        Batch b = batch;
        batch = new Batch();
        measure();
        List<ParquetFile> files = new ArrayList<>(b.closed);
        try {
            for (ParquetFile f : b.open.values()) {
                closeFile(f);
                files.add(f);
            }
        } catch (ConnectException e) {
            b.discard();
            pipeline.failRetriable(e);
            return;
        }
        long bytes = 0;
        for (ParquetFile f : files) {
            bytes += f.bytes().capacity();
        }
        settings.budget().hold(bytes);
        sealedLast = b.last;
        pipeline.submit(new CommitPipeline.Sealed(b.start, b.last + 1, files, b.uploads, b.reported, bytes,
            b.handled));
    }

    /** The pipeline's failure, if any; clears it once the task thread has taken it after the pipeline stopped. */
    CommitPipeline.Failure takeFailure() {
        return pipeline.takeFailure();
    }

    CommitPipeline.Failure failure() {
        return pipeline.failure();
    }

    /**
     * After a failed commit: drops the open batch (the sealed ones are gone already) so the partition starts again
     * at {@link #committedNext()}, where the task rewinds the consumer.
     */
    synchronized void resetAfterFailure() {
        batch.discard();
        batch = new Batch();
        measure();
        sealedLast = -1;
        checkedFirstOffset = true;
    }

    /** Waits until the pipeline is idle, up to {@code timeoutMs}; true when it is. */
    boolean awaitIdle(long timeoutMs) throws InterruptedException {
        return pipeline.awaitIdle(timeoutMs);
    }

    /** The partition is revoked or the task stops: nothing more is written for it. Best effort, no waiting. */
    synchronized void abandon() {
        cancelled = true;
        batch.discard();
        batch = new Batch();
        measure();
        pipeline.cancel();
    }
}
