package io.eventlake.connect.sink.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

import io.eventlake.connect.sink.s3.commit.PartitionCommitter.NamedFile;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.parquet.StructEncoder;

/**
 * The records of one Kafka partition since its last commit: one open Parquet file per lake folder, plus files
 * already closed by a schema change. File names come from the topic, partition and first offset, so the same
 * records always land under the same name.
 */
final class PartitionBuffer {

    private final TopicPartition tp;
    private final ParquetFile.Options options;
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final List<NamedFile> closed = new ArrayList<>();

    private long committedNext = -1;
    private long batchStart = -1;
    private long lastOffset = -1;
    private long handled;
    private long firstBufferedAtMs;

    PartitionBuffer(TopicPartition tp, ParquetFile.Options options) {
        this.tp = tp;
        this.options = options;
    }

    TopicPartition topicPartition() {
        return tp;
    }

    void committedNext(long next) {
        this.committedNext = next;
    }

    /** First offset not in committed files, or -1 when nothing is known yet. */
    long committedNext() {
        return committedNext;
    }

    /** True for a record already in committed files or in this batch (a redelivery after a rewind). */
    boolean alreadyHandled(long offset) {
        return committedNext >= 0 && offset < committedNext || batchStart >= 0 && offset <= lastOffset;
    }

    void write(String folder, StructEncoder encoder, Struct value, long offset, long nowMs) {
        // Encode first: a record that cannot be encoded must not close or open any file.
        GenericRecord record = encoder.encode(value);
        Open file = open.get(folder);
        if (file != null && file.parquet.encoder() != encoder) {
            // A new schema starts a new file: a Parquet file has one schema.
            closed.add(file.close());
            file = null;
        }
        if (file == null) {
            file = new Open(folder + "/" + fileName(offset), new ParquetFile(encoder, options));
            open.put(folder, file);
        }
        try {
            file.parquet.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode record " + tp + "@" + offset + " as Parquet", e);
        }
        seen(offset, nowMs);
    }

    /** Counts an offset as handled without data (a record reported to the dead letter queue). */
    void skip(long offset, long nowMs) {
        seen(offset, nowMs);
    }

    private void seen(long offset, long nowMs) {
        if (batchStart < 0) {
            batchStart = offset;
            firstBufferedAtMs = nowMs;
        }
        lastOffset = offset;
        handled++;
    }

    boolean hasWork() {
        return batchStart >= 0;
    }

    /** Records of the batch, written or sent to the dead letter queue: what flush.size counts. */
    long handled() {
        return handled;
    }

    long firstBufferedAtMs() {
        return firstBufferedAtMs;
    }

    long batchStart() {
        return batchStart;
    }

    long nextOffset() {
        return lastOffset + 1;
    }

    long bufferedBytes() {
        long bytes = 0;
        for (Open file : open.values()) {
            bytes += file.parquet.bufferedBytes();
        }
        for (NamedFile file : closed) {
            bytes += file.file().length();
        }
        return bytes;
    }

    /** Closes every file of the batch and hands them over; the buffer is then empty. */
    List<NamedFile> drain() {
        List<NamedFile> files = new ArrayList<>(closed);
        for (Open file : open.values()) {
            files.add(file.close());
        }
        reset();
        return files;
    }

    /** Drops the batch without writing it, e.g. when the partition is revoked. */
    void discard() {
        for (Open file : open.values()) {
            try {
                file.parquet.close();
            } catch (IOException | RuntimeException e) {
                // The data is dropped on purpose; it will be read again from Kafka.
            }
        }
        reset();
    }

    private void reset() {
        open.clear();
        closed.clear();
        batchStart = -1;
        lastOffset = -1;
        handled = 0;
    }

    private String fileName(long startOffset) {
        return String.format("%s+%d+%020d.parquet", tp.topic(), tp.partition(), startOffset);
    }

    private record Open(String key, ParquetFile parquet) {
        NamedFile close() {
            try {
                parquet.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish Parquet file " + key, e);
            }
            return new NamedFile(key, parquet);
        }
    }
}
