package io.eventlake.connect.sink.s3.parquet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * The bytes of one Parquet file on their way to S3. Until {@code partBytes} have accumulated they are held here;
 * then each full part is handed to a {@link PartSink} (a multipart upload) and dropped, so a file of any size holds
 * at most one part in memory. A file that never reaches a part is uploaded whole, from {@link #tail()}.
 */
public final class FileBuffer implements OutputFile {

    /** Receives each full part of a file, in order. */
    public interface PartSink {
        void part(byte[] bytes, int length);
    }

    private final int partBytes;
    private final PartSink sink;
    private byte[] buf;
    private int count;
    private long position;
    private int parts;

    /** @param sink null to keep the whole file in memory */
    public FileBuffer(int partBytes, PartSink sink) {
        this.partBytes = partBytes;
        this.sink = sink;
        this.buf = new byte[0];
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return stream();
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return stream();
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    /** Bytes written so far, parts handed over included. */
    public long length() {
        return position;
    }

    /** Bytes held in memory (not yet handed over as a part). */
    public int held() {
        return count;
    }

    /** Bytes allocated for {@link #held()} bytes. */
    public int capacity() {
        return buf.length;
    }

    /** How many parts were handed over; 0 means the whole file is in {@link #tail()}. */
    public int parts() {
        return parts;
    }

    /** The bytes not handed over as a part: the whole file, or its last part. */
    public InputStream tail() {
        return new ByteArrayInputStream(buf, 0, count);
    }

    public byte[] tailBytes() {
        return Arrays.copyOf(buf, count);
    }

    /**
     * Gives back the room grown for bytes that never came, once the file is finished: a file waiting for S3 then holds
     * its bytes, not up to twice as many (a small file's first 4 KiB, a larger one's last doubling).
     */
    public void trim() {
        if (buf.length - count > count / 8 + 64) {
            buf = Arrays.copyOf(buf, count);
        }
    }

    /** Frees the memory; the file is no longer readable. */
    public void release() {
        buf = new byte[0];
        count = 0;
    }

    private void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (sink != null && count == partBytes) {
                flushPart();
            }
            int room = sink == null ? len : Math.min(len, partBytes - count);
            ensure(count + room);
            System.arraycopy(b, off, buf, count, room);
            count += room;
            position += room;
            off += room;
            len -= room;
        }
    }

    private void flushPart() {
        byte[] part = buf;
        int length = count;
        buf = new byte[Math.min(partBytes, 64 * 1024)];
        count = 0;
        parts++;
        sink.part(part, length);
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            int grown = Math.max(Math.max(capacity, 4096), buf.length * 2);
            if (sink != null) {
                grown = Math.min(grown, partBytes);
            }
            buf = Arrays.copyOf(buf, Math.max(grown, capacity));
        }
    }

    private PositionOutputStream stream() {
        return new PositionOutputStream() {
            private final byte[] one = new byte[1];

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) {
                one[0] = (byte) b;
                FileBuffer.this.write(one, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                FileBuffer.this.write(b, off, len);
            }
        };
    }
}
