package io.eventlake.connect.sink.s3.parquet;

import java.util.List;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/** Builds Parquet types with logical annotations (their constructors are not public). */
public final class ParquetTypes {

    private ParquetTypes() {
    }

    public static GroupType group(Repetition repetition, String name, LogicalTypeAnnotation logical,
                                  List<Type> fields) {
        return Types.buildGroup(repetition).as(logical).addFields(fields.toArray(new Type[0])).named(name);
    }

    public static PrimitiveType primitive(Repetition repetition, PrimitiveTypeName type, int length, String name,
                                          LogicalTypeAnnotation logical) {
        Types.PrimitiveBuilder<PrimitiveType> b = Types.primitive(type, repetition).as(logical);
        if (type == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
            b.length(length);
        }
        return b.named(name);
    }

    /** The same type under another repetition. */
    public static Type withRepetition(Type t, Repetition repetition) {
        if (t.getRepetition() == repetition) {
            return t;
        }
        if (t.isPrimitive()) {
            PrimitiveType p = t.asPrimitiveType();
            return primitive(repetition, p.getPrimitiveTypeName(), p.getTypeLength(), p.getName(),
                p.getLogicalTypeAnnotation());
        }
        GroupType g = t.asGroupType();
        return group(repetition, g.getName(), g.getLogicalTypeAnnotation(), g.getFields());
    }
}
