package io.eventlake.connect.sink.s3.commit;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.PreconditionFailedException;

/**
 * A task's ownership of one Kafka partition's checkpoint, taken when the task opens the partition. The lease raises
 * the owner epoch with a conditional write and keeps the ETag of its own last write; every later write names that
 * ETag, so once a newer owner has taken the partition the old one's writes fail ({@link FencedException}) instead
 * of moving the checkpoint back. The commit protocol, per batch of files:
 * <ol>
 *   <li>{@link #intend}: {@code {epoch, next: <batch start>, pending: [file keys]}};</li>
 *   <li>the files are uploaded (by the caller), each only if absent;</li>
 *   <li>{@link #commit}: {@code {epoch, next: <last offset + 1>, pending: []}}.</li>
 * </ol>
 * On {@link #acquire}, files a previous owner left pending are deleted (their keys carry its epoch, so they are
 * never the names this owner writes) and the partition resumes at {@code next}.
 */
public final class PartitionLease implements Lease {

    private static final Logger log = LoggerFactory.getLogger(PartitionLease.class);

    private final CheckpointStore checkpoints;
    private final TopicPartition tp;
    private final long epoch;
    private String etag;
    private long next;
    private final List<String> abandoned;

    private PartitionLease(CheckpointStore checkpoints, TopicPartition tp, long epoch, String etag, long next,
                           List<String> abandoned) {
        this.checkpoints = checkpoints;
        this.tp = tp;
        this.epoch = epoch;
        this.etag = etag;
        this.next = next;
        this.abandoned = abandoned;
    }

    /**
     * Takes the partition: raises the epoch (conditionally, retrying when another task races), then deletes the
     * files of an unfinished commit and records the cleanup.
     */
    public static PartitionLease acquire(CheckpointStore checkpoints, ObjectStore store, TopicPartition tp) {
        for (int attempt = 1; ; attempt++) {
            Optional<CheckpointStore.Versioned> current = checkpoints.read(tp);
            try {
                if (current.isEmpty()) {
                    Checkpoint first = Checkpoint.committed(1, -1);
                    String etag = checkpoints.create(tp, first);
                    return new PartitionLease(checkpoints, tp, 1, etag, -1, List.of());
                }
                Checkpoint cp = current.get().checkpoint();
                long epoch = cp.epoch() + 1;
                // Keep the pending list while taking over: if this task dies before the cleanup, the next one
                // still knows which files to delete.
                String etag = checkpoints.replace(tp, new Checkpoint(epoch, cp.next(), cp.pending()),
                    current.get().etag());
                if (!cp.pending().isEmpty()) {
                    log.info("{}: removing {} file(s) of an unfinished commit of owner epoch {}, resuming at "
                        + "offset {}", tp, cp.pending().size(), cp.epoch(), cp.next());
                    cp.pending().forEach(store::delete);
                    etag = checkpoints.replace(tp, Checkpoint.committed(epoch, cp.next()), etag);
                }
                return new PartitionLease(checkpoints, tp, epoch, etag, cp.next(), cp.pending());
            } catch (PreconditionFailedException e) {
                if (attempt >= 5) {
                    throw new FencedException(tp + ": another task keeps taking over this partition's checkpoint "
                        + checkpoints.key(tp) + " while this one opens it; is a second connector writing the same "
                        + "topics.dir and topics?");
                }
            }
        }
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    /** First offset not in committed files, if any was ever committed. */
    @Override
    public OptionalLong next() {
        return next >= 0 ? OptionalLong.of(next) : OptionalLong.empty();
    }

    /**
     * Files a previous owner had pending when this lease deleted them. A zombie whose upload was under way may write
     * one again afterwards; the caller deletes them once more after its first commit.
     */
    @Override
    public List<String> abandonedByPreviousOwner() {
        return abandoned;
    }

    /** Step 1: names the files about to be written. */
    @Override
    public void intend(List<String> keys) {
        write(new Checkpoint(epoch, next, keys));
    }

    /** Step 3: the files are in; the partition's committed offset becomes {@code nextOffset}. */
    @Override
    public void commit(long nextOffset, List<io.eventlake.connect.sink.s3.parquet.ParquetFile> files) {
        commit(nextOffset);
    }

    /** Step 3 (see {@link #commit(long, List)}). */
    public void commit(long nextOffset) {
        write(Checkpoint.committed(epoch, nextOffset));
        next = nextOffset;
    }

    private void write(Checkpoint checkpoint) {
        String expected = etag;
        for (int attempt = 1; ; attempt++) {
            try {
                etag = checkpoints.replace(tp, checkpoint, expected);
                return;
            } catch (PreconditionFailedException e) {
                // Either a newer owner took the partition, or our own earlier write went through while its answer
                // was lost (a timeout, then the client's retry): only the epoch tells.
                Optional<CheckpointStore.Versioned> now = checkpoints.read(tp);
                if (now.isEmpty() || now.get().checkpoint().epoch() != epoch) {
                    throw new FencedException(tp + ": fenced; owner epoch " + epoch + " was replaced by "
                        + now.map(v -> "epoch " + v.checkpoint().epoch()).orElse("a removed checkpoint (offsets "
                        + "reset)") + "; another task owns the partition now");
                }
                if (attempt >= 3) {
                    throw e;
                }
                expected = now.get().etag();
            }
        }
    }
}
