package io.eventlake.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What has landed in a lake folder: Parquet files and their row counts (read from each file's footer, once per
 * file), and how many files the sink's checkpoints still mark as pending.
 */
public final class LakeStats {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final Path bucketDir;
    private final String topicsDir;
    private final String checkpointDir;
    private final Map<Path, FileRows> rowsByFile = new HashMap<>();
    private final org.apache.iceberg.catalog.Catalog catalog;
    private final org.apache.iceberg.catalog.Namespace namespace;
    private final Map<org.apache.iceberg.catalog.TableIdentifier, org.apache.iceberg.Table> tables = new HashMap<>();

    public LakeStats(Path bucketDir, String topicsDir, String checkpointDir) {
        this(bucketDir, topicsDir, checkpointDir, null, null);
    }

    private LakeStats(Path bucketDir, String topicsDir, String checkpointDir,
                      org.apache.iceberg.catalog.Catalog catalog, org.apache.iceberg.catalog.Namespace namespace) {
        this.bucketDir = bucketDir;
        this.topicsDir = topicsDir;
        this.checkpointDir = checkpointDir;
        this.catalog = catalog;
        this.namespace = namespace;
    }

    /**
     * Stats of a lake of Iceberg tables: what the current snapshot of each table in {@code namespace} holds (only
     * committed files), by the topic whose folder the table's data is in.
     */
    public static LakeStats ofTables(org.apache.iceberg.catalog.Catalog catalog,
                                     org.apache.iceberg.catalog.Namespace namespace) {
        return new LakeStats(null, null, null, catalog, namespace);
    }

    /**
     * Reads the lake as it is now. The S3 server writes objects through temporary files and the sink deletes the
     * files of an interrupted commit, so a file may vanish while the folder is walked: then the walk starts over.
     */
    public Snapshot snapshot() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return walk();
            } catch (NoSuchFileException | UncheckedIOException e) {
                boolean vanished = e instanceof NoSuchFileException
                    || e.getCause() instanceof NoSuchFileException;
                if (!vanished || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private Snapshot committedInTables() {
        long files = 0;
        long rows = 0;
        Map<String, Long> rowsByTopic = new TreeMap<>();
        List<org.apache.iceberg.catalog.TableIdentifier> ids;
        try {
            ids = catalog.listTables(namespace);
        } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException none) {
            ids = List.of();
        }
        for (org.apache.iceberg.catalog.TableIdentifier id : ids) {
            org.apache.iceberg.Table table = tables.get(id);
            if (table == null) {
                table = catalog.loadTable(id);
                tables.put(id, table);
            } else {
                table.refresh();
            }
            org.apache.iceberg.Snapshot current = table.currentSnapshot();
            if (current == null) {
                continue;
            }
            long tableRows = Long.parseLong(current.summary().getOrDefault("total-records", "0"));
            files += Long.parseLong(current.summary().getOrDefault("total-data-files", "0"));
            rows += tableRows;
            String dataPath = table.properties().getOrDefault("write.data.path", id.name());
            rowsByTopic.merge(dataPath.substring(dataPath.lastIndexOf('/') + 1), tableRows, Long::sum);
        }
        return new Snapshot(files, rows, 0, Map.copyOf(rowsByTopic));
    }

    private Snapshot walk() throws IOException {
        if (catalog != null) {
            return committedInTables();
        }
        long files = 0;
        long rows = 0;
        Map<String, Long> rowsByTopic = new TreeMap<>();
        Path data = bucketDir.resolve(topicsDir);
        Map<Path, FileRows> seen = new HashMap<>();
        if (Files.isDirectory(data)) {
            long[] counts = new long[2];
            forEachFile(data, LakeStats::isParquet, p -> {
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                FileRows known = rowsByFile.get(p);
                if (known == null || known.size != attrs.size()
                    || known.modified != attrs.lastModifiedTime().toMillis()) {
                    known = new FileRows(attrs.size(), attrs.lastModifiedTime().toMillis(), rowCount(p));
                }
                seen.put(p, known);
                counts[0]++;
                counts[1] += known.rows;
                Path relative = data.relativize(p);
                if (relative.getNameCount() > 1) {
                    rowsByTopic.merge(relative.getName(0).toString(), known.rows, Long::sum);
                }
            });
            files = counts[0];
            rows = counts[1];
        }
        rowsByFile.keySet().retainAll(seen.keySet());
        rowsByFile.putAll(seen);
        return new Snapshot(files, rows, pendingFiles(), Map.copyOf(rowsByTopic));
    }

    private long pendingFiles() throws IOException {
        Path dir = bucketDir.resolve(checkpointDir);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] pending = new long[1];
        forEachFile(dir, f -> f.toString().endsWith(".json"), p -> {
            JsonNode cp = JSON.readTree(p.toFile());
            pending[0] += cp.path("pending").size();
        });
        return pending[0];
    }

    private interface FileAction {
        void accept(Path file) throws IOException;
    }

    /**
     * Visits every regular file under {@code root} that {@code filter} accepts. A file that vanishes between the
     * listing and its visit (the S3 server renames its temporary files, the sink deletes the files of an interrupted
     * commit, thousands of checkpoints are written at once when a rebalance opens many partitions) is skipped, not an
     * error: the next snapshot sees what replaced it.
     */
    private static void forEachFile(Path root, java.util.function.Predicate<Path> filter, FileAction action)
        throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && filter.test(file)) {
                    try {
                        action.accept(file);
                    } catch (NoSuchFileException | java.io.FileNotFoundException vanished) {
                        // gone since the listing
                    }
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static boolean isParquet(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".parquet") && !name.startsWith(".") && Files.isRegularFile(p);
    }

    /** Rows of a Parquet file, from its footer: [.. footer][4-byte footer length][PAR1]. */
    public static long rowCount(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 12) {
                throw new IOException(file + " is too short to be Parquet");
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(tail, size - 8);
            tail.flip();
            int footerLength = tail.getInt();
            byte[] magic = new byte[4];
            tail.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || footerLength <= 0 || footerLength > size - 12) {
                throw new IOException(file + " has no Parquet footer");
            }
            ByteBuffer footer = ByteBuffer.allocate(footerLength);
            ch.read(footer, size - 8 - footerLength);
            footer.flip();
            try (InputStream in = new java.io.ByteArrayInputStream(footer.array())) {
                FileMetaData meta = Util.readFileMetaData(in);
                return meta.getNum_rows();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private record FileRows(long size, long modified, long rows) {
    }

    /**
     * Files and rows in the lake, files written by a commit that has not finished, and rows per topic (the first
     * folder under the topics folder; empty when the stats were taken for one topic's folder).
     */
    public record Snapshot(long files, long rows, long pendingFiles, Map<String, Long> rowsByTopic) {

        /** Rows of the given topics. */
        public long rowsOf(Collection<String> topics) {
            return topics.stream().mapToLong(t -> rowsByTopic.getOrDefault(t, 0L)).sum();
        }
    }
}
