package io.eventlake.connect.sink.s3.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

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
 * Hadoop objects). A Parquet writer costs about 20 KiB of heap per column before its first row (its dictionary
 * encoders allocate up front), so a new file first holds its rows as they are and starts its writer only once they
 * cost about as much: a backfill that touches thousands of folders then costs its rows, not thousands of writers.
 * {@link #close()} finishes the file; only a file that closed cleanly is {@link #isComplete() complete}, so a
 * footerless file can never be uploaded.
 */
public final class ParquetFile {

    /** Measured heap of an open Parquet writer per column (dictionary id lists, page buffers, statistics). */
    static final int WRITER_BYTES_PER_COLUMN = 20 * 1024;
    static final int WRITER_BYTES_BASE = 8 * 1024;

    private static final PlainCodecFactory CODECS = new PlainCodecFactory();

    private final String key;
    private final MessageType schema;
    private final Options options;
    private final FileBuffer buffer;
    private final Row row = new Row();
    private final long writerBytes;
    private ParquetWriter<Row> writer;
    private List<Row> pending = new ArrayList<>();
    private long pendingBytes;
    private long records;
    private State state = State.BUFFERING;
    private Object tag;
    private org.apache.parquet.hadoop.metadata.ParquetMetadata footer;

    private enum State { BUFFERING, OPEN, COMPLETE, BROKEN }

    public ParquetFile(String key, MessageType schema, Options options, FileBuffer.PartSink parts) {
        this.key = key;
        this.schema = schema;
        this.options = options;
        this.buffer = new FileBuffer(options.partBytes(), parts);
        this.writerBytes = WRITER_BYTES_BASE + (long) WRITER_BYTES_PER_COLUMN * schema.getColumns().size();
    }

    private void startWriter() {
        try {
            writer = new Builder(buffer, schema)
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
            state = State.BROKEN;
            throw new UncheckedIOException("cannot open a Parquet writer for " + key, e);
        }
        state = State.OPEN;
        List<Row> rows = pending;
        pending = null;
        pendingBytes = 0;
        for (Row r : rows) {
            writeRow(r.plan, r.record, r.value);
        }
    }

    /** Attaches what a table commit needs to register this file (its table and partition); null in bare mode. */
    public void tag(Object value) {
        this.tag = value;
    }

    public Object tag() {
        return tag;
    }

    /** The footer of the finished file (row groups, column statistics); valid after a clean {@link #close()}. */
    public org.apache.parquet.hadoop.metadata.ParquetMetadata footer() {
        return footer;
    }

    public String key() {
        return key;
    }

    public MessageType schema() {
        return schema;
    }

    /** Writes one row; {@code plan} must target this file's schema and have checked the value. */
    public void write(RowWriter plan, SinkRecord record, Struct value) {
        if (state == State.BUFFERING) {
            Row r = new Row();
            r.plan = plan;
            r.record = record;
            r.value = value;
            pending.add(r);
            pendingBytes += RowSize.estimate(record, value);
            records++;
            if (pendingBytes >= writerBytes) {
                startWriter();
            }
            return;
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("Parquet file " + key + " is " + state);
        }
        writeRow(plan, record, value);
        records++;
    }

    private void writeRow(RowWriter plan, SinkRecord record, Struct value) {
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
    }

    public long records() {
        return records;
    }

    /**
     * Heap this file holds: its rows while it buffers them; then its writer (the open row group, and the fixed cost
     * of its column writers) and the bytes not yet handed over as a part.
     */
    public long bufferedBytes() {
        switch (state) {
            case BUFFERING:
                return pendingBytes;
            case OPEN:
                return writer.getDataSize() - buffer.length() + buffer.capacity() + writerBytes;
            default:
                return buffer.capacity();
        }
    }

    /** Bytes held in memory by the file's output, not counting the open row group; for tests. */
    int heldBytes() {
        return buffer.held();
    }

    /** The file's size so far: bytes written plus the open row group (before compression of its last pages). */
    public long sizeEstimate() {
        switch (state) {
            case BUFFERING:
                return pendingBytes;
            case OPEN:
                return writer.getDataSize();
            default:
                return buffer.length();
        }
    }

    /** Finishes the file (last row group and footer). Marks it complete only when that succeeded. */
    public void close() throws IOException {
        if (state == State.BUFFERING) {
            startWriter();
        }
        if (state != State.OPEN) {
            return;
        }
        try {
            writer.close();
            footer = writer.getFooter();
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
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                // Dropped on purpose; the data is read again from Kafka.
            }
        }
        if (state != State.COMPLETE) {
            state = State.BROKEN;
        }
        pending = null;
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
