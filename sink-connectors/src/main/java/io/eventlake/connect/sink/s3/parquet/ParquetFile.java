package io.eventlake.connect.sink.s3.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
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
    private final FileBuffer.PartSink parts;
    private FileBuffer buffer;
    private final Row row = new Row();
    private final List<Segment> segments = new ArrayList<>();
    private SpillDisk disk;
    private long spilledBytes;
    private long recordsInMemory;
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
        this.parts = parts;
        this.buffer = new FileBuffer(options.partBytes(), parts);
        this.writerBytes = WRITER_BYTES_BASE + (long) WRITER_BYTES_PER_COLUMN * schema.getColumns().size();
    }

    private void startWriter() {
        try {
            writer = configure(new Builder<>(buffer, new Support<Row>(schema,
                consumer -> r -> r.plan.write(consumer, r.record, r.value)))).build();
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

    private <T, B extends ParquetWriter.Builder<T, B>> B configure(B builder) {
        return configure(options, builder);
    }

    private static <T, B extends ParquetWriter.Builder<T, B>> B configure(Options options, B builder) {
        return builder.withConf(new PlainParquetConfiguration())
            .withCodecFactory(CODECS)
            .withCompressionCodec(options.codec())
            .withRowGroupSize((long) options.rowGroupBytes())
            .withPageSize(options.pageBytes())
            .withDictionaryEncoding(true)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
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
            recordsInMemory++;
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
        recordsInMemory++;
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

    /**
     * The file's size so far: bytes spilled, bytes written plus the open row group (before compression of its last
     * pages).
     */
    public long sizeEstimate() {
        switch (state) {
            case BUFFERING:
                return spilledBytes + pendingBytes;
            case OPEN:
                return spilledBytes + writer.getDataSize();
            default:
                return buffer.length();
        }
    }

    /**
     * Moves the rows held in memory to a segment on local disk (a small complete Parquet file), so the file holds no
     * heap until more rows come; {@link #close()} later re-encodes every segment's rows into the one file. Only a
     * file none of whose bytes went to S3 yet (no part of a multipart upload) can spill.
     * @return the heap bytes freed; 0 when nothing was spilled (no rows in memory, parts already sent, or no room on
     *     the disk)
     * @throws IOException the segment could not be written; the file is broken (its batch must be dropped)
     */
    public long spill(SpillDisk spillDisk) throws IOException {
        if (recordsInMemory == 0 || buffer.parts() > 0 || (state != State.BUFFERING && state != State.OPEN)) {
            return 0;
        }
        long heap = bufferedBytes();
        long reserved = Math.max(heap, 4096);
        Path path = spillDisk.reserve(reserved);
        if (path == null) {
            return 0;
        }
        long size = 0;
        try {
            if (state == State.BUFFERING) {
                startWriter();
            }
            writer.close();
            size = buffer.length();
            try (InputStream in = buffer.tail()) {
                Files.copy(in, path);
            }
        } catch (IOException | RuntimeException e) {
            state = State.BROKEN;
            spillDisk.release(path, reserved);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        spillDisk.adjust(reserved, size);
        disk = spillDisk;
        segments.add(new Segment(path, size));
        spilledBytes += size;
        // From now on the file's bytes are assembled at close: nothing goes to S3 as a part before.
        buffer = new FileBuffer(options.partBytes(), null);
        writer = null;
        pending = new ArrayList<>();
        pendingBytes = 0;
        recordsInMemory = 0;
        state = State.BUFFERING;
        return heap;
    }

    /** Segments spilled to disk and not yet assembled. */
    public int segments() {
        return segments.size();
    }

    /** Finishes the file (last row group and footer). Marks it complete only when that succeeded. */
    public void close() throws IOException {
        if (state == State.BUFFERING && (segments.isEmpty() || recordsInMemory > 0)) {
            startWriter();
        }
        if (state != State.OPEN && !(state == State.BUFFERING && !segments.isEmpty())) {
            return;
        }
        try {
            if (state == State.OPEN) {
                writer.close();
                footer = writer.getFooter();
                // A closed writer still holds its column writers (tens of objects per column): a file waiting for
                // its commit keeps only its bytes and footer.
                writer = null;
            }
            if (!segments.isEmpty()) {
                assemble();
            }
            buffer.trim();
            state = State.COMPLETE;
        } catch (IOException | RuntimeException e) {
            state = State.BROKEN;
            throw e;
        }
    }


    /**
     * Writes the rows of every segment, then of the rows still in memory, into one file, re-encoded: row groups of
     * the configured size, dictionaries over the whole file (copying the segments' small row groups as they are made
     * files five times larger in the memory profile). Deletes the segments.
     */
    private void assemble() throws IOException {
        // The rows still in memory are a complete file already (the writer was closed): read them from the heap.
        byte[] tail = recordsInMemory > 0 ? buffer.tailBytes() : null;
        buffer.release();
        FileBuffer whole = new FileBuffer(options.partBytes(), parts);
        try (Merger merger = new Merger(schema, options, whole)) {
            for (Segment segment : segments) {
                merger.add(Files.readAllBytes(segment.path()));
            }
            if (tail != null) {
                merger.add(tail);
            }
            footer = merger.finish();
        }
        buffer = whole;
        releaseSegments();
    }

    /**
     * Re-encodes the rows of complete Parquet files of one schema into one file: row groups of the configured size,
     * dictionaries over the whole file. The spilled segments of a file are assembled with it, and table compaction
     * merges a partition's small files with it. Holds one input at a time (the caller's bytes) and the open row group;
     * the output goes to its {@link FileBuffer}, part by part if it has a sink.
     */
    public static final class Merger implements AutoCloseable {
        private final MessageType schema;
        private final ParquetWriter<Group> out;
        private final ColumnIOFactory columns = new ColumnIOFactory();
        private long rows;
        private boolean finished;

        public Merger(MessageType schema, Options options, FileBuffer output) throws IOException {
            this.schema = schema;
            this.out = configure(options, new Builder<>(output,
                new Support<Group>(schema, consumer -> new GroupWriter(consumer, schema)::write))).build();
        }

        /**
         * Copies every row of a complete Parquet file whose schema is this merger's.
         * @throws IllegalArgumentException the file has another schema (nothing of it was copied)
         */
        public void add(byte[] parquet) throws IOException {
            try (ParquetFileReader in = ParquetFileReader.open(new BytesInputFile(parquet), SegmentReadOptions.get())) {
                MessageType fileSchema = in.getFooter().getFileMetaData().getSchema();
                if (!fileSchema.equals(schema)) {
                    throw new IllegalArgumentException("a file of schema " + fileSchema + " cannot be merged into "
                        + schema);
                }
                PageReadStore rowGroup;
                while ((rowGroup = in.readNextRowGroup()) != null) {
                    RecordReader<Group> reader = columns.getColumnIO(fileSchema).getRecordReader(rowGroup,
                        new GroupRecordConverter(fileSchema));
                    for (long i = 0; i < rowGroup.getRowCount(); i++) {
                        out.write(reader.read());
                    }
                    rows += rowGroup.getRowCount();
                }
            }
        }

        /** Rows copied so far. */
        public long rows() {
            return rows;
        }

        /** Finishes the output file and returns its footer. */
        public org.apache.parquet.hadoop.metadata.ParquetMetadata finish() throws IOException {
            finished = true;
            out.close();
            return out.getFooter();
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                finished = true;
                out.close();
            }
        }
    }

    private void releaseSegments() {
        for (Segment segment : segments) {
            disk.release(segment.path(), segment.bytes());
        }
        segments.clear();
    }

    /** The Parquet schema in a complete file's footer. */
    public static MessageType schemaOf(byte[] parquet) throws IOException {
        try (ParquetFileReader in = ParquetFileReader.open(new BytesInputFile(parquet), SegmentReadOptions.get())) {
            return in.getFooter().getFileMetaData().getSchema();
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
        if (!segments.isEmpty()) {
            releaseSegments();
        }
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

    private record Segment(Path path, long bytes) {
    }

    private static final class Row {
        RowWriter plan;
        SinkRecord record;
        Struct value;
    }
    /** Writes values of one kind through the consumer Parquet hands over: rows from records, or rows read back. */
    private static final class Support<T> extends WriteSupport<T> {
        private final MessageType schema;
        private final Function<RecordConsumer, Consumer<T>> writerOf;
        private Consumer<T> writer;

        Support(MessageType schema, Function<RecordConsumer, Consumer<T>> writerOf) {
            this.schema = schema;
            this.writerOf = writerOf;
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
            writer = writerOf.apply(recordConsumer);
        }

        @Override
        public void write(T value) {
            writer.accept(value);
        }
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final Support<T> support;

        Builder(FileBuffer file, Support<T> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }
}
