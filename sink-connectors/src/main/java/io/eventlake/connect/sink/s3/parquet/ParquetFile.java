package io.eventlake.connect.sink.s3.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** One Parquet file being written in memory, for one schema; {@link #close()} makes it ready to upload. */
public final class ParquetFile implements AutoCloseable {

    private static final PlainCodecFactory CODECS = new PlainCodecFactory();

    private final StructEncoder encoder;
    private final InMemoryOutputFile output = new InMemoryOutputFile();
    private final ParquetWriter<GenericRecord> writer;
    private long records;
    private boolean closed;

    public ParquetFile(StructEncoder encoder, Options options) {
        this.encoder = encoder;
        try {
            this.writer = AvroParquetWriter.<GenericRecord>builder(output)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(CODECS)
                .withCompressionCodec(options.codec())
                .withDataModel(GenericData.get())
                .withSchema(encoder.avroSchema())
                .withRowGroupSize((long) options.rowGroupBytes())
                .withPageSize(options.pageBytes())
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open an in-memory Parquet writer", e);
        }
    }

    public StructEncoder encoder() {
        return encoder;
    }

    public void write(org.apache.kafka.connect.data.Struct value) throws IOException {
        write(encoder.encode(value));
    }

    /** Writes a record that {@link #encoder()} made. */
    public void write(GenericRecord record) throws IOException {
        writer.write(record);
        records++;
    }

    public long records() {
        return records;
    }

    /** Bytes held by this file: the encoded output so far plus the open row group. */
    public long bufferedBytes() {
        return output.size() + (closed ? 0 : writer.getDataSize());
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    /** The finished file's length; valid after {@link #close()}. */
    public long length() {
        return output.size();
    }

    /** A fresh stream over the finished file; valid after {@link #close()}. */
    public InputStream newInputStream() {
        if (!closed) {
            throw new IllegalStateException("the Parquet file is still open");
        }
        return output.newInputStream();
    }

    /** Writer settings shared by every file of a task. */
    public record Options(CompressionCodecName codec, int rowGroupBytes, int pageBytes) {
    }
}
