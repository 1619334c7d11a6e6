package io.eventlake.connect.sink.s3.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A task's local folder for spilled segments of open files ({@code spill.dir}), bounded by {@code spill.max.bytes}.
 * When the memory budget is reached, the rows of an open file go here as a small complete Parquet file (a segment)
 * instead of to S3 as a small data file; when the file is finished, its segments' row groups are copied, not decoded,
 * into the one file that is uploaded, and the segments deleted. A segment is only a buffer: the commit protocol never
 * sees it, and a task that dies leaves nothing here that matters (its partitions are read again from the last
 * commit), so the next task to take its folder empties it.
 */
public final class SpillDisk implements AutoCloseable {

    private static final SpillDisk NONE = new SpillDisk(null, 0, null);

    private final Path dir;
    private final FileChannel lockFile;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();
    private final AtomicLong segments = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    private SpillDisk(Path dir, long maxBytes, FileChannel lockFile) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.lockFile = lockFile;
    }

    /** No spilling: the budget commits files early instead. */
    public static SpillDisk none() {
        return NONE;
    }

    /**
     * Takes a folder of its own for one task under {@code base/<connector>/}: the first slot whose lock file no
     * running task holds (a task that died released its lock with its process), emptied of what the last holder left.
     * @throws UncheckedIOException naming the folder when it cannot be created or emptied
     */
    public static SpillDisk open(Path base, String connector, long maxBytes) {
        if (maxBytes <= 0) {
            return NONE;
        }
        // Fails here, at the task's start, if segments could not be read back without Hadoop.
        SegmentReadOptions.get();
        Path root = base.resolve(connector.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(root);
            for (int slot = 0; ; slot++) {
                FileChannel lockFile = FileChannel.open(root.resolve(slot + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = lockFile.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    lockFile.close();
                    continue;
                }
                Path dir = root.resolve(Integer.toString(slot));
                deleteTree(dir);
                Files.createDirectories(dir);
                return new SpillDisk(dir, maxBytes, lockFile);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(new IOException("cannot prepare a spill folder under " + root
                + " (spill.dir): " + e.getMessage(), e));
        }
    }

    public boolean enabled() {
        return dir != null;
    }

    /**
     * A new segment path with {@code bytes} of the bound reserved for it, or null when they do not fit (or spilling is
     * off).
     */
    Path reserve(long bytes) {
        if (dir == null) {
            return null;
        }
        while (true) {
            long now = used.get();
            if (now + bytes > maxBytes) {
                return null;
            }
            if (used.compareAndSet(now, now + bytes)) {
                highWater.accumulateAndGet(now + bytes, Math::max);
                segments.incrementAndGet();
                return dir.resolve(sequence.incrementAndGet() + ".parquet");
            }
        }
    }

    /** Corrects a reservation to the segment's real size. */
    void adjust(long reserved, long actual) {
        long now = used.addAndGet(actual - reserved);
        highWater.accumulateAndGet(now, Math::max);
    }

    /** Deletes a segment and frees its bytes. */
    void release(Path segment, long bytes) {
        try {
            Files.deleteIfExists(segment);
        } catch (IOException e) {
            // Emptied at the next start of the task.
        }
        used.addAndGet(-bytes);
    }

    /** Bytes of segments on disk now. */
    public long usedBytes() {
        return used.get();
    }

    /** Most bytes on disk at once since the start. */
    public long highWaterBytes() {
        return highWater.get();
    }

    /** Segments written since the start. */
    public long segmentsWritten() {
        return segments.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Deletes the folder (the task stops; its open files were dropped or finished). */
    @Override
    public void close() {
        if (dir != null) {
            try {
                deleteTree(dir);
            } catch (IOException | UncheckedIOException e) {
                // Emptied by the next task that takes the slot.
            }
            try {
                lockFile.close();
            } catch (IOException e) {
                // The lock goes with the process at the latest.
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
