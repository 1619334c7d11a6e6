package io.eventlake.connect.sink.s3.writer;

import java.util.concurrent.Future;

import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a record the sink cannot write goes: the worker's errant record reporter (the dead letter queue, within
 * {@code errors.tolerance}), or, without one, a WARN log when {@code errors.tolerance=all}, or the task fails with
 * the record's exception. Nothing is skipped silently.
 */
public final class ErrantRecords {

    private static final Logger log = LoggerFactory.getLogger(ErrantRecords.class);

    private final ErrantRecordReporter reporter;
    private final boolean tolerateAll;

    public ErrantRecords(ErrantRecordReporter reporter, boolean tolerateAll) {
        this.reporter = reporter;
        this.tolerateAll = tolerateAll;
    }

    /** Reports the record; returns the reporter's future (null when none), or throws {@code error}. */
    Future<Void> report(SinkRecord record, DataException error) {
        if (reporter != null) {
            return reporter.report(record, error);
        }
        if (tolerateAll) {
            log.warn("Skipping record {}-{}@{} (errors.tolerance=all, no dead letter queue): {}",
                record.originalTopic(), record.originalKafkaPartition(), record.originalKafkaOffset(),
                error.getMessage());
            return null;
        }
        throw error;
    }
}
