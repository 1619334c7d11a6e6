package io.eventlake.connect.sink.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.connect.sink.s3.commit.CheckpointStore;
import io.eventlake.connect.sink.s3.commit.PartitionCommitter;
import io.eventlake.connect.sink.s3.parquet.EncoderCache;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.partition.TimePartitioner;
import io.eventlake.connect.sink.s3.rotation.RotationPolicy;
import io.eventlake.connect.sink.s3.storage.ObjectStore;
import io.eventlake.connect.sink.s3.storage.S3ObjectStore;

/**
 * Routes records to per-partition buffers, asks the rotation policy when to commit, and hands batches to the
 * committer. Kafka offsets returned from {@link #preCommit} are only those of data already in S3.
 */
public class S3ParquetSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(S3ParquetSinkTask.class);

    private final Function<S3ParquetSinkConfig, ObjectStore> storeFactory;
    private final Time time;

    private ObjectStore store;
    private TimePartitioner partitioner;
    private RotationPolicy rotation;
    private PartitionCommitter committer;
    private ParquetFile.Options parquetOptions;
    private final EncoderCache encoders = new EncoderCache();
    private final Map<TopicPartition, PartitionBuffer> buffers = new HashMap<>();
    private final Map<TopicPartition, List<Future<Void>>> reported = new HashMap<>();
    /** Partitions whose last commit failed part-way: their checkpoint may name pending files to remove first. */
    private final Set<TopicPartition> needRecovery = new HashSet<>();
    private ErrantRecordReporter reporter;
    private boolean tolerateAll;

    public S3ParquetSinkTask() {
        this(config -> {
            S3ObjectStore s3 = S3ObjectStore.create(config);
            s3.checkBucket();
            return s3;
        }, Time.SYSTEM);
    }

    /** For tests: another store and clock. */
    S3ParquetSinkTask(Function<S3ParquetSinkConfig, ObjectStore> storeFactory, Time time) {
        this.storeFactory = storeFactory;
        this.time = time;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        S3ParquetSinkConfig config = new S3ParquetSinkConfig(props);
        store = storeFactory.apply(config);
        partitioner = new TimePartitioner(config.topicsDir(), config.timestampField(), config.timezone());
        rotation = new RotationPolicy(config.flushSize(), config.rotateIntervalMs());
        committer = new PartitionCommitter(store,
            new CheckpointStore(store, config.checkpointDir() + "/" + config.topicsDir()));
        parquetOptions = new ParquetFile.Options(config.parquetCodec(), config.parquetRowGroupBytes(),
            config.parquetPageBytes());
        reporter = errantRecordReporter();
        tolerateAll = "all".equals(props.get("errors.tolerance"));
        log.info("S3 Parquet sink task started: bucket {}, folder {}, flush.size {}, rotate.interval.ms {}",
            config.bucket(), config.topicsDir(), config.flushSize(), config.rotateIntervalMs());
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionBuffer buffer = new PartitionBuffer(tp, parquetOptions);
            committer.recover(tp).ifPresent(next -> {
                buffer.committedNext(next);
                context.offset(tp, next);
            });
            buffers.put(tp, buffer);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = time.milliseconds();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            PartitionBuffer buffer = buffers.get(tp);
            if (buffer == null) {
                throw new ConnectException("received a record of " + tp + ", which is not assigned to this task");
            }
            if (buffer.alreadyHandled(record.kafkaOffset())) {
                continue;
            }
            try {
                Struct value = requireStruct(record);
                buffer.write(partitioner.folder(record), encoders.encoderFor(value.schema()), value,
                    record.kafkaOffset(), now);
            } catch (DataException e) {
                if (reporter != null) {
                    reported.computeIfAbsent(tp, k -> new ArrayList<>()).add(reporter.report(record, e));
                } else if (tolerateAll) {
                    // errors.tolerance=all without a dead letter queue: the user chose to drop bad records.
                    log.warn("Skipping record {}-{}@{} (errors.tolerance=all, no dead letter queue): {}", tp.topic(),
                        tp.partition(), record.kafkaOffset(), e.getMessage());
                } else {
                    throw e;
                }
                buffer.skip(record.kafkaOffset(), now);
            }
            if (rotation.dueBySize(buffer.handled())) {
                commit(buffer);
            }
        }
        commitDueByTime(now);
    }

    private static Struct requireStruct(SinkRecord record) {
        if (record.value() instanceof Struct struct) {
            return struct;
        }
        Schema schema = record.valueSchema();
        throw new DataException("record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
            + " has " + (record.value() == null ? "a null value (tombstone)" : "a value without a Struct schema ("
            + (schema == null ? "schemaless " + record.value().getClass().getSimpleName() : schema.type()) + ")")
            + "; the Parquet sink needs Struct values, e.g. from a converter with schemas enabled");
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            commitDueByTime(time.milliseconds());
        } catch (RuntimeException e) {
            // Connect logs this, rewinds every partition to its last committed offset and keeps the task running:
            // drop what is buffered, or the rewound records would be written a second time.
            for (PartitionBuffer buffer : buffers.values()) {
                buffer.discard();
                needRecovery.add(buffer.topicPartition());
            }
            reported.clear();
            throw e;
        }
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (PartitionBuffer buffer : buffers.values()) {
            if (buffer.committedNext() >= 0) {
                durable.put(buffer.topicPartition(), new OffsetAndMetadata(buffer.committedNext()));
            }
        }
        return durable;
    }

    private void commitDueByTime(long now) {
        for (PartitionBuffer buffer : buffers.values()) {
            if (buffer.hasWork() && rotation.dueByTime(buffer.firstBufferedAtMs(), now)) {
                commit(buffer);
            }
        }
    }

    private void commit(PartitionBuffer buffer) {
        TopicPartition tp = buffer.topicPartition();
        if (needRecovery.remove(tp)) {
            committer.recover(tp);
        }
        awaitReported(tp);
        long batchStart = buffer.batchStart();
        long next = buffer.nextOffset();
        committer.commit(tp, batchStart, next, buffer.drain());
        buffer.committedNext(next);
    }

    /** Records sent to the dead letter queue must be there before their offsets count as done. */
    private void awaitReported(TopicPartition tp) {
        List<Future<Void>> futures = reported.remove(tp);
        if (futures == null) {
            return;
        }
        for (Future<Void> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while reporting errant records of " + tp, e);
            } catch (ExecutionException e) {
                throw new ConnectException("cannot report an errant record of " + tp + " to the dead letter queue",
                    e.getCause());
            }
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        // Uncommitted data is dropped: the partition's next owner reads it again from the checkpoint.
        for (TopicPartition tp : partitions) {
            PartitionBuffer buffer = buffers.remove(tp);
            if (buffer != null) {
                buffer.discard();
            }
            reported.remove(tp);
            needRecovery.remove(tp);
        }
    }

    @Override
    public void stop() {
        buffers.values().forEach(PartitionBuffer::discard);
        buffers.clear();
        if (store != null) {
            store.close();
        }
    }

    /** Bytes buffered in memory across the task's partitions; for tests and metrics. */
    long bufferedBytes() {
        return buffers.values().stream().mapToLong(PartitionBuffer::bufferedBytes).sum();
    }
}
