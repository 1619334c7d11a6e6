package io.eventlake.connect.sink.s3.writer;

import java.util.concurrent.Future;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.connect.sink.s3.partition.Partitioner;
import io.eventlake.connect.sink.s3.schema.TableSchemas;
import io.eventlake.connect.sink.s3.writer.TaskWriter.LatePolicy;
import io.eventlake.connect.sink.s3.writer.TaskWriter.NullValues;

/**
 * Turns a record into a row of its partition's open batch: a null value per {@code behavior.on.null.values}, a Struct
 * value, the lake schema that accepts it, its event time (or its arrival for a late event) and its folder. A record
 * that cannot land goes to the dead letter queue with the reason (named {@code record topic-partition@offset}) and
 * counts as handled, so nothing else of the batch is lost.
 */
final class RecordLander {

    private final TableSchemas schemas;
    private final Partitioner partitioner;
    private final ErrantRecords errant;
    private final WriterMetrics metrics;
    private final NullValues nullValues;
    private final LatePolicy latePolicy;
    private final long lateThresholdMs;

    RecordLander(TableSchemas schemas, Partitioner partitioner, ErrantRecords errant, WriterMetrics metrics,
                 NullValues nullValues, LatePolicy latePolicy, long lateThresholdMs) {
        this.schemas = schemas;
        this.partitioner = partitioner;
        this.errant = errant;
        this.metrics = metrics;
        this.nullValues = nullValues;
        this.latePolicy = latePolicy;
        this.lateThresholdMs = lateThresholdMs;
    }

    /** Writes a record, or reports it; true when it was written. */
    boolean land(PartitionWriter w, SinkRecord record, long now) {
        long offset = record.originalKafkaOffset();
        try {
            if (record instanceof ParallelDecoder.Undecodable bad) {
                throw bad.error();
            }
            Object value = record.value();
            if (value == null) {
                switch (nullValues) {
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
            if (latePolicy == LatePolicy.ARRIVAL) {
                long newest = w.newestTimeMs();
                if (newest != Long.MIN_VALUE && timeMs < newest - lateThresholdMs) {
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
}
