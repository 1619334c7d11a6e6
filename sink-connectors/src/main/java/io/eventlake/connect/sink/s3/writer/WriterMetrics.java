package io.eventlake.connect.sink.s3.writer;

/** What the writer reports as it goes; {@link #NONE} when no metrics are wanted. */
public interface WriterMetrics {

    WriterMetrics NONE = new WriterMetrics() {
    };

    default void recordsWritten(long count) {
    }

    default void recordsReported(long count) {
    }

    default void fileOpened() {
    }

    default void filesCommitted(int files, long bytes) {
    }

    default void batchCommitted(long records, long latencyMs) {
    }

    default void commitFailed() {
    }
}
