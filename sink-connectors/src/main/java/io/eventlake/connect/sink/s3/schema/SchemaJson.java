package io.eventlake.connect.sink.s3.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

import io.eventlake.connect.sink.s3.parquet.ParquetTypes;

/**
 * A Parquet schema as plain maps and lists (for JSON), so field names of any characters survive a round trip,
 * which Parquet's own text form does not guarantee.
 */
final class SchemaJson {

    private SchemaJson() {
    }

    static Map<String, Object> toJson(MessageType schema) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", schema.getName());
        m.put("fields", fields(schema));
        return m;
    }

    private static List<Object> fields(GroupType g) {
        List<Object> out = new ArrayList<>();
        for (Type t : g.getFields()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", t.getName());
            f.put("repetition", t.getRepetition().name());
            if (t.getLogicalTypeAnnotation() != null) {
                f.put("logical", logical(t.getLogicalTypeAnnotation()));
            }
            if (t.isPrimitive()) {
                PrimitiveType p = t.asPrimitiveType();
                f.put("type", p.getPrimitiveTypeName().name());
                if (p.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                    f.put("length", p.getTypeLength());
                }
            } else {
                f.put("fields", fields(t.asGroupType()));
            }
            out.add(f);
        }
        return out;
    }

    private static Map<String, Object> logical(LogicalTypeAnnotation a) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            m.put("type", "DECIMAL");
            m.put("precision", d.getPrecision());
            m.put("scale", d.getScale());
        } else if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
            m.put("type", "TIMESTAMP");
            m.put("unit", t.getUnit().name());
            m.put("utc", t.isAdjustedToUTC());
        } else if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t) {
            m.put("type", "TIME");
            m.put("unit", t.getUnit().name());
            m.put("utc", t.isAdjustedToUTC());
        } else if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i) {
            m.put("type", "INT");
            m.put("bits", i.getBitWidth());
            m.put("signed", i.isSigned());
        } else if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            m.put("type", "STRING");
        } else if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            m.put("type", "DATE");
        } else if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            m.put("type", "LIST");
        } else if (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            m.put("type", "MAP");
        } else {
            throw new IllegalArgumentException("logical type " + a + " is not written by the sink");
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static MessageType fromJson(Map<String, Object> json) {
        return new MessageType((String) json.get("name"), readFields((List<Object>) json.get("fields")));
    }

    @SuppressWarnings("unchecked")
    private static List<Type> readFields(List<Object> json) {
        List<Type> out = new ArrayList<>();
        for (Object o : json) {
            Map<String, Object> f = (Map<String, Object>) o;
            String name = (String) f.get("name");
            Repetition rep = Repetition.valueOf((String) f.get("repetition"));
            LogicalTypeAnnotation logical = f.containsKey("logical")
                ? readLogical((Map<String, Object>) f.get("logical")) : null;
            if (f.containsKey("fields")) {
                out.add(ParquetTypes.group(rep, name, logical, readFields((List<Object>) f.get("fields"))));
            } else {
                PrimitiveTypeName type = PrimitiveTypeName.valueOf((String) f.get("type"));
                int length = f.containsKey("length") ? ((Number) f.get("length")).intValue() : 0;
                out.add(ParquetTypes.primitive(rep, type, length, name, logical));
            }
        }
        return out;
    }

    private static LogicalTypeAnnotation readLogical(Map<String, Object> m) {
        String type = (String) m.get("type");
        return switch (type) {
            case "DECIMAL" -> LogicalTypeAnnotation.decimalType(((Number) m.get("scale")).intValue(),
                ((Number) m.get("precision")).intValue());
            case "TIMESTAMP" -> LogicalTypeAnnotation.timestampType((Boolean) m.get("utc"),
                LogicalTypeAnnotation.TimeUnit.valueOf((String) m.get("unit")));
            case "TIME" -> LogicalTypeAnnotation.timeType((Boolean) m.get("utc"),
                LogicalTypeAnnotation.TimeUnit.valueOf((String) m.get("unit")));
            case "INT" -> LogicalTypeAnnotation.intType(((Number) m.get("bits")).intValue(), (Boolean) m.get("signed"));
            case "STRING" -> LogicalTypeAnnotation.stringType();
            case "DATE" -> LogicalTypeAnnotation.dateType();
            case "LIST" -> LogicalTypeAnnotation.listType();
            case "MAP" -> LogicalTypeAnnotation.mapType();
            default -> throw new IllegalArgumentException("unknown logical type " + type);
        };
    }
}
