package io.eventlake.connect.sink.s3.commit;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import io.eventlake.connect.sink.s3.parquet.ParquetFile;

/**
 * A task's hold on one Kafka partition's record of what landed: where the partition resumes, the owner epoch that
 * makes this owner's file names unique, and the commit of a batch of files. Two kinds: the bucket's checkpoint
 * ({@link PartitionLease}, bare Parquet) and a table's snapshots (table mode).
 */
public interface Lease {

    /** The owner epoch of this task for the partition; part of every file name it writes. */
    long epoch();

    /** First offset not landed, if anything of the partition ever landed. */
    OptionalLong next();

    /** Files a previous owner may still finish uploading after this lease was taken; deleted after the first commit. */
    List<String> abandonedByPreviousOwner();

    /** Before the files of a batch are uploaded: names them, so a crash leaves nothing nobody knows about. */
    void intend(List<String> keys);

    /**
     * The batch's files are uploaded: makes them part of the lake, with {@code nextOffset} as the partition's next
     * offset. Throws {@link FencedException} when another owner moved the partition's record meanwhile.
     */
    void commit(long nextOffset, List<ParquetFile> files);

    /**
     * {@link #commit} for callers that need not wait on a thread: the future completes when the commit is done (or
     * fails with what {@code commit} would throw). By default it commits on the calling thread.
     */
    default CompletableFuture<Void> commitAsync(long nextOffset, List<ParquetFile> files) {
        try {
            commit(nextOffset, files);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
