package io.eventlake.connect.sink.s3.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file being written, for one Parquet schema, straight from Connect Structs (no intermediate Avro or
 * Hadoop objects). {@link #close()} finishes it; only a file that closed cleanly is {@link #isComplete() complete},
 * so a footerless file can never be uploaded.
 */
public final class ParquetFile {

    private static final PlainCodecFactory CODECS = new PlainCodecFactory();

    private final String key;
    private final MessageType schema;
    private final FileBuffer buffer;
    private final Row row = new Row();
    private final ParquetWriter<Row> writer;
    private long records;
    private long firstOffset = -1;
    private State state = State.OPEN;

    private enum State { OPEN, COMPLETE, BROKEN }

    public ParquetFile(String key, MessageType schema, Options options, FileBuffer.PartSink parts) {
        this.key = key;
        this.schema = schema;
        this.buffer = new FileBuffer(options.partBytes(), parts);
        try {
            this.writer = new Builder(buffer, schema)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(CODECS)
                .withCompressionCodec(options.codec())
                .withRowGroupSize((long) options.rowGroupBytes())
                .withPageSize(options.pageBytes())
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Parquet writer for " + key, e);
        }
    }

    public String key() {
        return key;
    }

    public MessageType schema() {
        return schema;
    }

    /** Writes one row; {@code plan} must target this file's schema and have checked the value. */
    public void write(RowWriter plan, SinkRecord record, Struct value) {
        if (state != State.OPEN) {
            throw new IllegalStateException("Parquet file " + key + " is " + state);
        }
        row.plan = plan;
        row.record = record;
        row.value = value;
        try {
            writer.write(row);
        } catch (IOException | RuntimeException e) {
            // A row may be half in the column writers: this file can never be completed.
            state = State.BROKEN;
            throw new IllegalStateException("cannot write record " + record.originalTopic() + "-"
                + record.originalKafkaPartition() + "@" + record.originalKafkaOffset() + " to " + key, e);
        } finally {
            row.record = null;
            row.value = null;
        }
        if (firstOffset < 0) {
            firstOffset = record.originalKafkaOffset();
        }
        records++;
    }

    public long records() {
        return records;
    }

    /** Bytes this file holds in memory: its open row group and the bytes not yet handed over as a part. */
    public long bufferedBytes() {
        if (state != State.OPEN) {
            return buffer.capacity();
        }
        return writer.getDataSize() - buffer.length() + buffer.capacity();
    }

    /** The file's size so far: bytes written plus the open row group (before compression of its last pages). */
    public long sizeEstimate() {
        return state == State.OPEN ? writer.getDataSize() : buffer.length();
    }

    /** Bytes held in memory by the file's output, not counting the open row group; for tests. */
    int heldBytes() {
        return buffer.held();
    }

    /** Finishes the file (last row group and footer). Marks it complete only when that succeeded. */
    public void close() throws IOException {
        if (state != State.OPEN) {
            return;
        }
        try {
            writer.close();
            state = State.COMPLETE;
        } catch (IOException | RuntimeException e) {
            state = State.BROKEN;
            throw e;
        }
    }

    /** Closed cleanly: the bytes are a whole Parquet file. */
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** Drops the file without finishing it. */
    public void discard() {
        if (state == State.OPEN) {
            state = State.BROKEN;
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                // Dropped on purpose; the data is read again from Kafka.
            }
        }
        buffer.release();
    }

    /** The written bytes; valid after a clean {@link #close()}. */
    public FileBuffer bytes() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("Parquet file " + key + " is " + state + ", not complete");
        }
        return buffer;
    }

    /** Writer settings shared by every file of a task. */
    public record Options(CompressionCodecName codec, int rowGroupBytes, int pageBytes, int partBytes) {
    }

    private static final class Row {
        RowWriter plan;
        SinkRecord record;
        Struct value;
    }

    private static final class RowSupport extends WriteSupport<Row> {
        private final MessageType schema;
        private RecordConsumer consumer;

        RowSupport(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public String getName() {
            return "eventlake";
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            row.plan.write(consumer, row.record, row.value);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final MessageType schema;

        Builder(FileBuffer file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowSupport(schema);
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowSupport(schema);
        }
    }
}
