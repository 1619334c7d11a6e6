package io.eventlake.connect.sink.s3.parquet;

import java.io.InputStream;

import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet file held in memory, for a reader. (Parquet's {@code LocalInputFile} reads its stream a byte per system
 * call when a copy asks for blocks, which made assembling spilled segments ten times slower than writing them.)
 */
final class BytesInputFile implements InputFile {

    private final byte[] bytes;

    BytesInputFile(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long getLength() {
        return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
        Positioned in = new Positioned();
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() {
                return in.pos;
            }

            @Override
            public void seek(long newPos) {
                in.pos = (int) newPos;
            }
        };
    }

    private final class Positioned extends InputStream {
        private int pos;

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return len == 0 ? 0 : -1;
            }
            int n = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, bytes.length - pos));
            pos += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }
    }
}
