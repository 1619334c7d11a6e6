package io.eventlake.connect.sink.s3.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import com.github.luben.zstd.Zstd;

import io.airlift.compress.snappy.SnappyCompressor;

/**
 * Parquet page compression without Hadoop: Parquet's own factory needs Hadoop's codec classes for every codec,
 * UNCOMPRESSED included. Compression only; the sink never reads Parquet.
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

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("the sink only writes Parquet");
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
