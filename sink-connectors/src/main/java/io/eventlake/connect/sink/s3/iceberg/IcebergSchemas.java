package io.eventlake.connect.sink.s3.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

import io.eventlake.connect.sink.s3.parquet.ParquetTypes;

/**
 * The Iceberg view of the lake's Parquet schemas (see {@code ParquetSchemas} for how Connect maps to Parquet), and
 * the way back: a file schema annotated with the table's field ids, so that every engine reads the file's columns by
 * id, as the Iceberg spec requires. Timestamps stay millisecond Parquet columns; Iceberg readers widen them to
 * microseconds, and {@link DataFileMetrics} converts their bounds.
 */
public final class IcebergSchemas {

    private IcebergSchemas() {
    }

    /** An Iceberg schema with the same columns as a file schema (ids are placeholders; the table assigns its own). */
    public static Schema toIceberg(MessageType file) {
        AtomicInteger ids = new AtomicInteger();
        List<Types.NestedField> fields = new ArrayList<>();
        for (org.apache.parquet.schema.Type t : file.getFields()) {
            fields.add(field(t, ids, t.getName()));
        }
        return new Schema(fields);
    }

    private static Types.NestedField field(org.apache.parquet.schema.Type t, AtomicInteger ids, String path) {
        int id = ids.incrementAndGet();
        Type type = type(t, ids, path);
        return t.isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED)
            ? Types.NestedField.required(id, t.getName(), type) : Types.NestedField.optional(id, t.getName(), type);
    }

    private static Type type(org.apache.parquet.schema.Type t, AtomicInteger ids, String path) {
        if (t.isPrimitive()) {
            return primitive(t.asPrimitiveType(), path);
        }
        GroupType g = t.asGroupType();
        LogicalTypeAnnotation logical = g.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            org.apache.parquet.schema.Type element = g.getType(0).asGroupType().getType(0);
            int elementId = ids.incrementAndGet();
            Type elementType = type(element, ids, path + "[]");
            return element.isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED)
                ? Types.ListType.ofRequired(elementId, elementType) : Types.ListType.ofOptional(elementId, elementType);
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            GroupType kv = g.getType(0).asGroupType();
            int keyId = ids.incrementAndGet();
            int valueId = ids.incrementAndGet();
            Type keyType = type(kv.getType(0), ids, path + "{key}");
            org.apache.parquet.schema.Type value = kv.getType(1);
            Type valueType = type(value, ids, path + "{}");
            return value.isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED)
                ? Types.MapType.ofRequired(keyId, valueId, keyType, valueType)
                : Types.MapType.ofOptional(keyId, valueId, keyType, valueType);
        }
        List<Types.NestedField> fields = new ArrayList<>();
        for (org.apache.parquet.schema.Type f : g.getFields()) {
            fields.add(field(f, ids, path + "." + f.getName()));
        }
        return Types.StructType.of(fields);
    }

    private static Type primitive(PrimitiveType p, String path) {
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return Types.BooleanType.get();
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return Types.DateType.get();
                }
                if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return Types.TimeType.get();
                }
                return Types.IntegerType.get();
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    return ts.isAdjustedToUTC() ? Types.TimestampType.withZone() : Types.TimestampType.withoutZone();
                }
                return Types.LongType.get();
            case FLOAT:
                return Types.FloatType.get();
            case DOUBLE:
                return Types.DoubleType.get();
            case BINARY:
                return logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    ? Types.StringType.get() : Types.BinaryType.get();
            case FIXED_LEN_BYTE_ARRAY:
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return Types.DecimalType.of(d.getPrecision(), d.getScale());
                }
                return Types.FixedType.ofLength(p.getTypeLength());
            default:
                throw new DataException("column '" + path + "' of Parquet type " + p.getPrimitiveTypeName()
                    + " has no Iceberg type");
        }
    }

    /** The file schema with each column carrying the id of the table column of the same name (path). */
    public static MessageType withIds(MessageType file, Schema table) {
        List<org.apache.parquet.schema.Type> fields = new ArrayList<>();
        for (org.apache.parquet.schema.Type t : file.getFields()) {
            Types.NestedField f = table.asStruct().field(t.getName());
            if (f == null) {
                throw new DataException("column '" + t.getName() + "' is not in the table schema " + table);
            }
            fields.add(annotate(t, f.fieldId(), f.type(), t.getName()));
        }
        return new MessageType(file.getName(), fields);
    }

    private static org.apache.parquet.schema.Type annotate(org.apache.parquet.schema.Type t, int id, Type type,
                                                           String path) {
        if (t.isPrimitive()) {
            return t.withId(id);
        }
        GroupType g = t.asGroupType();
        LogicalTypeAnnotation logical = g.getLogicalTypeAnnotation();
        List<org.apache.parquet.schema.Type> fields = new ArrayList<>();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            Types.ListType list = (Types.ListType) type;
            GroupType repeated = g.getType(0).asGroupType();
            org.apache.parquet.schema.Type element = repeated.getType(0);
            fields.add(new GroupType(repeated.getRepetition(), repeated.getName(), List.of(
                annotate(element, list.elementId(), list.elementType(), path + "[]"))));
        } else if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            Types.MapType map = (Types.MapType) type;
            GroupType kv = g.getType(0).asGroupType();
            fields.add(new GroupType(kv.getRepetition(), kv.getName(), List.of(
                annotate(kv.getType(0), map.keyId(), map.keyType(), path + "{key}"),
                annotate(kv.getType(1), map.valueId(), map.valueType(), path + "{}"))));
        } else {
            Types.StructType struct = type.asStructType();
            for (org.apache.parquet.schema.Type f : g.getFields()) {
                Types.NestedField nested = struct.field(f.getName());
                if (nested == null) {
                    throw new DataException("column '" + path + "." + f.getName() + "' is not in the table schema");
                }
                fields.add(annotate(f, nested.fieldId(), nested.type(), path + "." + f.getName()));
            }
        }
        GroupType rebuilt = logical == null ? new GroupType(g.getRepetition(), g.getName(), fields)
            : ParquetTypes.group(g.getRepetition(), g.getName(), logical, fields);
        return rebuilt.withId(id);
    }
}
