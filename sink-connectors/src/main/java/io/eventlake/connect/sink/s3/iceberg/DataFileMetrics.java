package io.eventlake.connect.sink.s3.iceberg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.iceberg.Metrics;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * The column metrics Iceberg keeps for a data file, read from the Parquet footer the sink just wrote: sizes, value
 * and null counts of every leaf column, and lower and upper bounds of top-level primitive columns, which let engines
 * skip files. Bounds of strings longer than {@link #TRUNCATE} characters are left out rather than truncated (an upper
 * bound must be rounded up); bounds of floating point columns are left out when a NaN is possible.
 */
final class DataFileMetrics {

    /** Iceberg's default metrics mode keeps string bounds of up to 16 characters. */
    static final int TRUNCATE = 16;

    private DataFileMetrics() {
    }

    /**
     * A Parquet file of the sink as a table's data file: its path, size, partition, row group offsets and the metrics
     * of its footer. The sink's appends and compaction's rewrites register their files through this.
     */
    static org.apache.iceberg.DataFile dataFile(org.apache.iceberg.PartitionSpec spec, Schema table, String path,
                                                long bytes, ParquetMetadata footer,
                                                org.apache.iceberg.StructLike partition) {
        java.util.List<Long> splits = new java.util.ArrayList<>();
        for (BlockMetaData block : footer.getBlocks()) {
            splits.add(block.getStartingPos());
        }
        return org.apache.iceberg.DataFiles.builder(spec)
            .withPath(path)
            .withFormat(org.apache.iceberg.FileFormat.PARQUET)
            .withFileSizeInBytes(bytes)
            .withMetrics(of(footer, table))
            .withPartition(partition)
            .withSplitOffsets(splits)
            .build();
    }

    static Metrics of(ParquetMetadata footer, Schema table) {
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        long rows = 0;
        Map<Integer, Long> sizes = new HashMap<>();
        Map<Integer, Long> values = new HashMap<>();
        Map<Integer, Long> nulls = new HashMap<>();
        Map<Integer, Object> lower = new HashMap<>();
        Map<Integer, Object> upper = new HashMap<>();
        Map<Integer, Boolean> noBounds = new HashMap<>();
        java.util.Set<Integer> noNullCount = new java.util.HashSet<>();
        for (BlockMetaData block : footer.getBlocks()) {
            rows += block.getRowCount();
            for (ColumnChunkMetaData column : block.getColumns()) {
                PrimitiveType leaf = fileSchema.getType(column.getPath().toArray()).asPrimitiveType();
                if (leaf.getId() == null) {
                    continue;
                }
                int id = leaf.getId().intValue();
                sizes.merge(id, column.getTotalSize(), Long::sum);
                values.merge(id, column.getValueCount(), Long::sum);
                Statistics<?> stats = column.getStatistics();
                boolean topLevel = column.getPath().size() == 1;
                if (stats == null || !stats.isNumNullsSet()) {
                    noNullCount.add(id);
                } else {
                    nulls.merge(id, stats.getNumNulls(), Long::sum);
                }
                if (stats == null || stats.isEmpty()) {
                    noBounds.put(id, true);
                    continue;
                }
                Types.NestedField field = table.findField(id);
                if (!topLevel || field == null || !stats.hasNonNullValue()) {
                    if (!stats.hasNonNullValue()) {
                        continue;
                    }
                    noBounds.put(id, true);
                    continue;
                }
                Object min = value(field.type(), stats.genericGetMin());
                Object max = value(field.type(), stats.genericGetMax());
                if (min == null || max == null) {
                    noBounds.put(id, true);
                    continue;
                }
                lower.merge(id, min, (a, b) -> compare(field.type(), a, b) <= 0 ? a : b);
                upper.merge(id, max, (a, b) -> compare(field.type(), a, b) >= 0 ? a : b);
            }
        }
        Map<Integer, ByteBuffer> lowerBytes = new HashMap<>();
        Map<Integer, ByteBuffer> upperBytes = new HashMap<>();
        for (Map.Entry<Integer, Object> e : lower.entrySet()) {
            int id = e.getKey();
            if (noBounds.containsKey(id) || !upper.containsKey(id)) {
                continue;
            }
            Type type = table.findField(id).type();
            lowerBytes.put(id, Conversions.toByteBuffer(type, e.getValue()));
            upperBytes.put(id, Conversions.toByteBuffer(type, upper.get(id)));
        }
        // A chunk without a null count: no null count is better than a wrong one.
        noNullCount.forEach(nulls::remove);
        return new Metrics(rows, sizes, values, nulls, null, lowerBytes, upperBytes);
    }

    /** A Parquet statistic as Iceberg's value of the column type, or null when it is no usable bound. */
    private static Object value(Type type, Object stat) {
        switch (type.typeId()) {
            case BOOLEAN:
            case INTEGER:
            case LONG:
            case DATE:
                return stat instanceof Number n && type.typeId() == Type.TypeID.LONG ? n.longValue() : stat;
            case FLOAT:
            case DOUBLE:
                // Parquet writers may leave NaN out of min/max; Iceberg bounds must then be absent.
                return null;
            case TIMESTAMP:
                return stat instanceof Long millis ? millis * 1000 : null;
            case STRING:
                if (stat instanceof org.apache.parquet.io.api.Binary b) {
                    String s = new String(b.getBytes(), StandardCharsets.UTF_8);
                    return s.length() <= TRUNCATE ? s : null;
                }
                return null;
            default:
                return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Type type, Object a, Object b) {
        if (type.typeId() == Type.TypeID.STRING) {
            return org.apache.iceberg.types.Comparators.charSequences().compare((CharSequence) a, (CharSequence) b);
        }
        return ((Comparable) a).compareTo(b);
    }
}
