package io.eventlake.connect.sink.s3.commit;

import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

/**
 * Exactly-once commit of one Kafka partition's batch of files. The protocol, per batch:
 * <ol>
 *   <li>write the checkpoint {@code {next: batchStart, pending: [keys]}}: an intent naming every file about to be
 *       written;</li>
 *   <li>upload the files;</li>
 *   <li>write {@code {next: lastOffset + 1, pending: []}}.</li>
 * </ol>
 * A task that starts on the partition ({@link #recover}) deletes any pending files and resumes at {@code next}, so
 * files of an interrupted batch are replaced, never duplicated, whatever rotation decided the second time.
 */
public final class PartitionCommitter {

    private static final Logger log = LoggerFactory.getLogger(PartitionCommitter.class);

    private final ObjectStore store;
    private final CheckpointStore checkpoints;

    public PartitionCommitter(ObjectStore store, CheckpointStore checkpoints) {
        this.store = store;
        this.checkpoints = checkpoints;
    }

    /** The offset to resume the partition from, after removing the files of an interrupted batch. */
    public OptionalLong recover(TopicPartition tp) {
        return checkpoints.read(tp).map(cp -> {
            if (!cp.pending().isEmpty()) {
                log.info("{}: removing {} file(s) of an interrupted commit, resuming at offset {}", tp,
                    cp.pending().size(), cp.next());
                cp.pending().forEach(store::delete);
                checkpoints.write(tp, Checkpoint.committed(cp.next()));
            }
            return OptionalLong.of(cp.next());
        }).orElse(OptionalLong.empty());
    }

    /** Makes the files durable and the partition's offset {@code nextOffset}; files must be closed. */
    public void commit(TopicPartition tp, long batchStart, long nextOffset, List<NamedFile> files) {
        if (!files.isEmpty()) {
            checkpoints.write(tp, new Checkpoint(batchStart, files.stream().map(NamedFile::key).toList()));
            for (NamedFile file : files) {
                store.put(file.key(), file.file()::newInputStream, file.file().length());
            }
        }
        checkpoints.write(tp, Checkpoint.committed(nextOffset));
        log.debug("{}: committed {} file(s), next offset {}", tp, files.size(), nextOffset);
    }

    /** A closed Parquet file and the key it is written under. */
    public record NamedFile(String key, ParquetFile file) {
    }
}
