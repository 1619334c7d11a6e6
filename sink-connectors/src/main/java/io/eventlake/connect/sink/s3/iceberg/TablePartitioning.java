package io.eventlake.connect.sink.s3.iceberg;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.connect.sink.s3.partition.Partitioner;

/**
 * A table's partition spec, from the same settings as the lake's folders: an identity partition per
 * {@code partition.fields} entry, then an hour, day, month or year transform of the event time column
 * ({@code timestamp.field}, or the Kafka timestamp metadata column with {@code partition.time.source=record}). The
 * sink groups rows into files by folder, so every file holds one partition of the spec. A time source without a
 * timestamp column (the wall clock, or an event time held as a number or text) gives no time partition.
 */
public final class TablePartitioning {

    private final List<Partitioner.FieldPartition> fields;
    private final Partitioner.TimeSource timeSource;
    private final String timestampField;
    private final Partitioner.Granularity granularity;
    private final String recordTimestampColumn;

    /**
     * @param recordTimestampColumn the metadata column of the Kafka timestamp, or null when files do not carry it
     */
    public TablePartitioning(List<Partitioner.FieldPartition> fields, Partitioner.TimeSource timeSource,
                             String timestampField, Partitioner.Granularity granularity,
                             String recordTimestampColumn) {
        this.fields = List.copyOf(fields);
        this.timeSource = timeSource;
        this.timestampField = timestampField;
        this.granularity = granularity;
        this.recordTimestampColumn = recordTimestampColumn;
    }

    /** The spec for a new table with this schema. */
    public PartitionSpec spec(Schema schema) {
        PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
        for (Partitioner.FieldPartition f : fields) {
            Types.NestedField column = schema.findField(f.path());
            if (column == null) {
                throw new DataException("partition field '" + f.path() + "' is not a column of the table (map "
                    + "keys cannot partition a table)");
            }
            if (!column.type().isPrimitiveType()) {
                throw new DataException("partition field '" + f.path() + "' is a " + column.type()
                    + "; only single values can partition a table");
            }
            b.identity(f.path(), f.name());
        }
        String time = timeColumn(schema);
        if (time != null) {
            switch (granularity) {
                case YEAR -> b.year(time);
                case MONTH -> b.month(time);
                case DAY -> b.day(time);
                case HOUR -> b.hour(time);
                default -> { }
            }
        }
        return b.build();
    }

    private String timeColumn(Schema schema) {
        String column = switch (timeSource) {
            case FIELD -> timestampField;
            case RECORD -> recordTimestampColumn;
            default -> null;
        };
        if (column == null || granularity == Partitioner.Granularity.NONE) {
            return null;
        }
        Types.NestedField f = schema.findField(column);
        return f != null && f.type().typeId() == Type.TypeID.TIMESTAMP ? column : null;
    }

    /** The partition of a file whose rows all share this record's partition values. */
    public static PartitionData partitionOf(PartitionSpec spec, Schema schema, SinkRecord record, Struct value,
                                            String recordTimestampColumn) {
        PartitionData data = new PartitionData(spec.partitionType());
        List<PartitionField> specFields = spec.fields();
        for (int i = 0; i < specFields.size(); i++) {
            PartitionField pf = specFields.get(i);
            String column = schema.findColumnName(pf.sourceId());
            Type type = schema.findType(pf.sourceId());
            Object raw = column.equals(recordTimestampColumn) ? record.timestamp() : read(value, column);
            Object internal = internal(type, raw, column, record);
            @SuppressWarnings("unchecked")
            org.apache.iceberg.util.SerializableFunction<Object, Object> f =
                (org.apache.iceberg.util.SerializableFunction<Object, Object>) pf.transform().bind(type);
            data.set(i, internal == null ? null : f.apply(internal));
        }
        return data;
    }

    private static Object read(Struct value, String path) {
        Object current = value;
        for (String segment : path.split("\\.")) {
            if (current instanceof Struct s) {
                current = s.schema().field(segment) == null ? null : s.getWithoutDefault(segment);
            } else if (current instanceof Map<?, ?> m) {
                current = m.get(segment);
            } else {
                return null;
            }
        }
        return current;
    }

    /** A Connect value as Iceberg's internal value of the column type. */
    private static Object internal(Type type, Object raw, String column, SinkRecord record) {
        if (raw == null) {
            return null;
        }
        switch (type.typeId()) {
            case TIMESTAMP:
                if (raw instanceof java.util.Date d) {
                    return d.getTime() * 1000;
                }
                if (raw instanceof Long millis) {
                    return millis * 1000;
                }
                break;
            case DATE:
                if (raw instanceof java.util.Date d) {
                    return (int) Math.floorDiv(d.getTime(), 86_400_000L);
                }
                break;
            case INTEGER:
                if (raw instanceof Number n) {
                    return n.intValue();
                }
                break;
            case LONG:
                if (raw instanceof Number n) {
                    return n.longValue();
                }
                break;
            case STRING:
                return raw.toString();
            case BINARY:
                return raw instanceof byte[] b ? ByteBuffer.wrap(b) : raw;
            case DECIMAL:
                return raw instanceof BigDecimal ? raw : null;
            default:
                return raw;
        }
        throw new DataException("record " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
            + record.originalKafkaOffset() + ": partition column '" + column + "' holds a "
            + raw.getClass().getSimpleName() + ", not a " + type);
    }
}
