package io.eventlake.connect.sink.s3.parquet;

import java.lang.reflect.Constructor;
import java.util.Map;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetMetricsCallback;

/**
 * Read options for spilled segments, without Hadoop. {@code ParquetReadOptions.Builder} creates Hadoop's codec
 * factory in its constructor (it fails in a worker without Hadoop's jars, as the plugin runs), so the options are
 * made with Parquet's own (package-private) constructor: the sink's codecs, no filters (a segment is read whole),
 * heap buffers. {@code SinkLayoutsIT#aSmallMemoryBudgetSpillsOpenFilesAndEachFolderStillGetsOneFile} runs this in a
 * worker from the zip; a Parquet upgrade that changes the constructor fails {@code ParquetFileTest}'s spill tests.
 */
final class SegmentReadOptions {

    private static final int MAX_ALLOCATION = 8 * 1024 * 1024;

    private SegmentReadOptions() {
    }

    static ParquetReadOptions get() {
        return Holder.OPTIONS;
    }

    private static final class Holder {
        static final ParquetReadOptions OPTIONS = create();
    }

    private static ParquetReadOptions create() {
        try {
            Constructor<ParquetReadOptions> c = ParquetReadOptions.class.getDeclaredConstructor(boolean.class,
                boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                boolean.class, boolean.class, FilterCompat.Filter.class, ParquetMetadataConverter.MetadataFilter.class,
                CompressionCodecFactory.class, org.apache.parquet.bytes.ByteBufferAllocator.class, int.class, Map.class,
                FileDecryptionProperties.class, ParquetMetricsCallback.class, ParquetConfiguration.class);
            c.setAccessible(true);
            // useSignedStringMinMax, stats, dictionary, record, column-index filters, page checksums, bloom filter,
            // off-heap decryption, Hadoop vectored IO: all off.
            return c.newInstance(false, false, false, false, false, false, false, false, false, FilterCompat.NOOP,
                ParquetMetadataConverter.NO_FILTER, new PlainCodecFactory(), new HeapByteBufferAllocator(),
                MAX_ALLOCATION, Map.of(), null, null, new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Parquet version's read options cannot be made without Hadoop; "
                + "spilling needs them (set spill.max.bytes=0 to turn it off)", e);
        }
    }
}
