package io.eventlake.connect.sink.s3.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.StructLikeWrapper;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.connect.sink.s3.parquet.FileBuffer;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.MultipartUpload;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

/**
 * Merges a table partition's small data files into one, with an Iceberg rewrite commit. The rewrite replaces files
 * by a file of exactly their rows, validated from the snapshot it was planned on: if any of its files left the table
 * meanwhile (another task's compaction, a user's maintenance), the commit fails, the merged file is deleted and
 * nothing changes. Appends by the sink's tasks meanwhile do not conflict (they only add files) and stay. A rewrite
 * records no offsets: a partition's record stays in the earlier snapshots ({@link TableOffsets} reads past it), so
 * resuming is unchanged. A crash between the merged file's upload and the commit leaves a file that no snapshot
 * lists: readers of the table never see it (bare-folder readers of a table-mode lake would, as with any file of a
 * failed commit; read the table).
 *
 * <p>Candidates are the sink's own Parquet files below three quarters of the target size, with the same Parquet
 * schema (files written before a schema change merge among themselves), in a partition that has at least
 * {@code minFiles} of them; a merge takes files, smallest first, up to the target size. Memory: one input file at a
 * time, the open row group, and one part of the output (the output is uploaded part by part).
 */
public final class TableCompaction {

    private static final Logger log = LoggerFactory.getLogger(TableCompaction.class);
    static final String SUMMARY_KEY = "eventlake.compaction";

    private final ObjectStore store;
    private final String bucket;
    private final ParquetFile.Options options;
    private final int minFiles;
    private final long targetBytes;

    /** A rewrite to do: the snapshot it was planned on, the files to merge, all of one partition and schema. */
    public record Plan(long snapshotId, List<DataFile> files) {
    }

    /** Files that may merge: one partition, the same columns. */
    private record Group(StructLikeWrapper partition, Set<Integer> columns) {
    }

    /** What a compaction round did. */
    public record Result(int rewrites, int filesMerged, int lostRaces) {
    }

    public TableCompaction(ObjectStore store, String bucket, ParquetFile.Options options, int minFiles,
                           long targetBytes) {
        this.store = store;
        this.bucket = bucket;
        this.options = options;
        this.minFiles = minFiles;
        this.targetBytes = targetBytes;
    }

    /** Files below this size are merged. */
    long smallBytes() {
        return targetBytes / 4 * 3;
    }

    /**
     * The partitions of the table's current snapshot that have at least minFiles small files with the same columns
     * (the field ids in their metrics): one plan each.
     */
    public List<Plan> plan(Table table) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return List.of();
        }
        Map<Group, List<DataFile>> byPartition = new HashMap<>();
        String ours = "s3://" + bucket + "/";
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(current.snapshotId()).includeColumnStats()
                 .planFiles()) {
            for (FileScanTask t : tasks) {
                DataFile f = t.file();
                if (f.format() != FileFormat.PARQUET || f.specId() != table.spec().specId()
                    || f.fileSizeInBytes() >= smallBytes() || !f.location().startsWith(ours)
                    || !t.deletes().isEmpty()) {
                    continue;
                }
                // Column stats are only needed for the key: a table of tens of thousands of files is planned
                // without keeping them. The copy owns its partition, which the key wraps.
                DataFile kept = f.copyWithoutStats();
                // Files with other columns (written before or after a schema change) merge among themselves.
                Group key = new Group(StructLikeWrapper.forType(table.spec().partitionType()).set(kept.partition()),
                    f.valueCounts() == null ? Set.of() : Set.copyOf(f.valueCounts().keySet()));
                byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(kept);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Plan> plans = new ArrayList<>();
        for (List<DataFile> files : byPartition.values()) {
            if (files.size() < minFiles) {
                continue;
            }
            files.sort(Comparator.comparingLong(DataFile::fileSizeInBytes));
            List<DataFile> group = new ArrayList<>();
            long bytes = 0;
            for (DataFile f : files) {
                if (!group.isEmpty() && bytes + f.fileSizeInBytes() > targetBytes) {
                    break;
                }
                group.add(f);
                bytes += f.fileSizeInBytes();
            }
            if (group.size() >= 2) {
                plans.add(new Plan(current.snapshotId(), group));
            }
        }
        // Tasks compacting one table start on different partitions, so fewer of their rewrites race.
        java.util.Collections.shuffle(plans);
        return plans;
    }

    /** Plans and runs every rewrite the table needs now. */
    public Result compact(Table table) {
        int rewrites = 0;
        int merged = 0;
        int lost = 0;
        for (Plan plan : plan(table)) {
            Merged m = write(table, plan);
            if (m == null) {
                continue;
            }
            if (commit(table, plan, m)) {
                rewrites++;
                merged += m.replaced().size();
            } else {
                lost++;
            }
        }
        return new Result(rewrites, merged, lost);
    }

    /** The merged file, uploaded but not yet in the table, and the files it replaces. */
    public record Merged(DataFile file, String key, Set<DataFile> replaced) {
    }

    /**
     * Reads the plan's files and writes their rows into one new file beside them. Files whose Parquet schema differs
     * from the first one's are left out (they merge in a later round, among themselves). Null when fewer than two
     * files share the schema.
     */
    public Merged write(Table table, Plan plan) {
        String first = plan.files().get(0).location();
        String key = first.substring(("s3://" + bucket + "/").length(), first.lastIndexOf('/') + 1) + "compacted-"
            + UUID.randomUUID() + ".parquet";
        Set<DataFile> replaced = new LinkedHashSet<>();
        PartUpload upload = new PartUpload(key);
        FileBuffer out = new FileBuffer(options.partBytes(), upload);
        ParquetMetadata footer;
        ParquetFile.Merger merger = null;
        try {
            for (DataFile f : plan.files()) {
                byte[] bytes = read(f);
                if (bytes == null) {
                    continue;
                }
                if (merger == null) {
                    merger = new ParquetFile.Merger(ParquetFile.schemaOf(bytes), options, out);
                }
                try {
                    merger.add(bytes);
                    replaced.add(f);
                } catch (IllegalArgumentException otherSchema) {
                    // Written before or after a schema change: merged with its own kind in a later round.
                }
            }
            if (merger == null || replaced.size() < 2) {
                if (merger != null) {
                    merger.close();
                }
                upload.abort();
                return null;
            }
            footer = merger.finish();
            upload.finish(out);
        } catch (IOException | RuntimeException e) {
            upload.abort();
            throw e instanceof IOException io ? new UncheckedIOException("cannot merge files into " + key, io)
                : (RuntimeException) e;
        }
        long records = 0;
        for (BlockMetaData block : footer.getBlocks()) {
            records += block.getRowCount();
        }
        long expected = 0;
        for (DataFile f : replaced) {
            expected += f.recordCount();
        }
        if (records != expected) {
            store.delete(key);
            throw new IllegalStateException("merged file " + key + " has " + records + " rows, not the " + expected
                + " of the files it replaces; not committed");
        }
        DataFile file = DataFileMetrics.dataFile(table.spec(), table.schema(), "s3://" + bucket + "/" + key,
            out.length(), footer, plan.files().get(0).partition());
        return new Merged(file, key, replaced);
    }

    private byte[] read(DataFile f) {
        String key = f.location().substring(("s3://" + bucket + "/").length());
        return store.get(key).map(ObjectStore.StoredObject::bytes).orElse(null);
    }

    /**
     * Replaces the files by the merged one in one snapshot, validated from the snapshot the plan was made on. False
     * when a file left the table meanwhile: the merged file is deleted and the table is as it was.
     */
    public boolean commit(Table table, Plan plan, Merged merged) {
        try {
            table.newRewrite()
                .validateFromSnapshot(plan.snapshotId())
                .rewriteFiles(merged.replaced(), Set.of(merged.file()))
                .set(SUMMARY_KEY, merged.replaced().size() + " files")
                .commit();
            return true;
        } catch (ValidationException | org.apache.iceberg.exceptions.CommitFailedException lost) {
            log.debug("Table {}: a compaction of {} files lost a race ({}); its file is dropped", table.name(),
                merged.replaced().size(), lost.getMessage());
            store.delete(merged.key());
            return false;
        } catch (CommitStateUnknownException unknown) {
            // The rewrite may be in the table: the file stays (a file no snapshot lists is never read).
            throw unknown;
        } catch (RuntimeException e) {
            store.delete(merged.key());
            throw e;
        }
    }

    /** The merged file's way to S3: a multipart upload once it fills a part, else one PUT. */
    private final class PartUpload implements FileBuffer.PartSink {
        private final String key;
        private MultipartUpload upload;

        PartUpload(String key) {
            this.key = key;
        }

        @Override
        public void part(byte[] bytes, int length) {
            if (upload == null) {
                upload = store.startMultipart(key);
            }
            upload.uploadPart(bytes, length);
        }

        void finish(FileBuffer out) {
            byte[] last = out.tailBytes();
            if (upload == null) {
                store.putIfAbsent(key, () -> new java.io.ByteArrayInputStream(last), last.length);
            } else {
                upload.uploadPart(last, last.length);
                upload.completeIfAbsent();
            }
        }

        void abort() {
            if (upload != null) {
                try {
                    upload.abort();
                } catch (RuntimeException e) {
                    log.debug("cannot abort the upload of {}: {}", key, e.getMessage());
                }
            }
        }
    }
}
