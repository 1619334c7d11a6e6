package io.eventlake.connect.sink.s3.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import com.github.luben.zstd.Zstd;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;

/**
 * Parquet page compression without Hadoop: Parquet's own factory needs Hadoop's codec classes for every codec,
 * UNCOMPRESSED included. Decompression only for the segments a task spills and reads back itself.
 */
public final class PlainCodecFactory implements CompressionCodecFactory {

    public static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(
        CompressionCodecName.ZSTD, CompressionCodecName.SNAPPY, CompressionCodecName.GZIP,
        CompressionCodecName.UNCOMPRESSED);

    private static final int ZSTD_LEVEL = 3;

    @Override
    // BytesInput.toByteArray is deprecated in favour of pooled ByteBuffers; these codecs compress heap arrays.
    @SuppressWarnings("deprecation")
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) {
                    return bytes;
                }
            };
            case ZSTD -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return BytesInput.from(Zstd.compress(bytes.toByteArray(), ZSTD_LEVEL));
                }
            };
            case SNAPPY -> new Compressor(codec) {
                // Pure Java (aircompressor, already in Parquet's tree): no 2.4 MB of native libraries in the zip.
                private final SnappyCompressor snappy = new SnappyCompressor();

                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] in = bytes.toByteArray();
                    byte[] out = new byte[snappy.maxCompressedLength(in.length)];
                    int n = snappy.compress(in, 0, in.length, out, 0, out.length);
                    return BytesInput.from(out, 0, n);
                }
            };
            case GZIP -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, bytes.size() / 2));
                    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                        bytes.writeAllTo(gzip);
                    }
                    return BytesInput.from(out.toByteArray());
                }
            };
            default -> throw new IllegalArgumentException("Parquet codec " + codec + " is not supported; use one of "
                + SUPPORTED);
        };
    }

    /** Decompression, for the segments the sink spills to its own disk and reads back (see {@link SpillDisk}). */
    @Override
    @SuppressWarnings("deprecation")
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Decompressor((in, size) -> in);
            case ZSTD -> new Decompressor((in, size) -> Zstd.decompress(in, size));
            case SNAPPY -> new Decompressor((in, size) -> {
                byte[] out = new byte[size];
                new SnappyDecompressor().decompress(in, 0, in.length, out, 0, size);
                return out;
            });
            case GZIP -> new Decompressor((in, size) -> {
                try (GZIPInputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                    return gzip.readNBytes(size);
                }
            });
            default -> throw new IllegalArgumentException("Parquet codec " + codec + " is not supported; use one of "
                + SUPPORTED);
        };
    }

    private interface ByteCodec {
        byte[] apply(byte[] in, int uncompressedSize) throws IOException;
    }

    private static final class Decompressor implements BytesInputDecompressor {
        private final ByteCodec codec;

        Decompressor(ByteCodec codec) {
            this.codec = codec;
        }

        @Override
        @SuppressWarnings("deprecation")
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return BytesInput.from(codec.apply(bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(java.nio.ByteBuffer input, int compressedSize, java.nio.ByteBuffer output,
                               int uncompressedSize) throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(codec.apply(in, uncompressedSize));
        }

        @Override
        public void release() {
            // Nothing held between calls.
        }
    }

    @Override
    public void release() {
        // Compressors hold no native buffers between calls.
    }

    private abstract static class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }
}
