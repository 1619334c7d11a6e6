package io.eventlake.connect.sink.s3.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;

import io.eventlake.connect.sink.s3.parquet.ParquetTypes;

/**
 * Which record schemas may land in a topic's lake folder beside the schema already there, compared on their Parquet
 * form (names, types, logical types), not on docs, versions or identity.
 * <ul>
 *   <li>In every mode, a column of the same name with another type is refused: it would make the folder unreadable
 *       as one table.</li>
 *   <li>{@code BACKWARD}: readers of the new schema can read old files: fields the new schema adds must be
 *       optional.</li>
 *   <li>{@code FORWARD}: readers of the old schema can read new files: fields the new schema drops must be optional
 *       in the old.</li>
 *   <li>{@code FULL}: both.</li>
 *   <li>{@code NONE}: no rule but the type check.</li>
 * </ul>
 * In every mode but NONE, records are projected onto the folder's schema (the union of the accepted schemas), so
 * interleaved schema versions share files; with NONE each schema writes its own files.
 */
public enum Compatibility {
    NONE, BACKWARD, FORWARD, FULL;

    public boolean projects() {
        return this != NONE;
    }

    /** The problems that keep {@code incoming} out of a folder of {@code current}; empty when it may land. */
    public List<String> problems(GroupType current, GroupType incoming) {
        return problems(current, incoming, false);
    }

    /**
     * As {@link #problems(GroupType, GroupType)}; with {@code promote}, a number widened (int to long, float to
     * double, either way round) is no problem: tables read older files as the wider type. Bare folders do not
     * promote: engines that merge the schemas of a folder's files (Spark) refuse int32 beside int64.
     */
    public List<String> problems(GroupType current, GroupType incoming, boolean promote) {
        List<String> problems = new ArrayList<>();
        compare(current, incoming, "", problems, promote);
        return problems;
    }

    private void compare(GroupType current, GroupType incoming, String path, List<String> problems,
                         boolean promote) {
        for (Type in : incoming.getFields()) {
            String p = path + in.getName();
            if (!current.containsField(in.getName())) {
                if ((this == BACKWARD || this == FULL) && in.getRepetition() == Repetition.REQUIRED) {
                    problems.add("adds required field '" + p + "' (" + mode() + " allows only optional new fields)");
                }
                continue;
            }
            Type cur = current.getType(in.getName());
            if (cur.isPrimitive() != in.isPrimitive()) {
                problems.add("field '" + p + "' is " + describe(in) + " here but " + describe(cur) + " in the lake");
                continue;
            }
            if (cur.isPrimitive()) {
                if (!samePrimitive(cur.asPrimitiveType(), in.asPrimitiveType())
                    && (!promote || wider(cur.asPrimitiveType(), in.asPrimitiveType()) == null)) {
                    problems.add("field '" + p + "' is " + describe(in) + " here but " + describe(cur)
                        + " in the lake");
                }
                continue;
            }
            if (!Objects.equals(cur.getLogicalTypeAnnotation(), in.getLogicalTypeAnnotation())) {
                problems.add("field '" + p + "' is " + describe(in) + " here but " + describe(cur) + " in the lake");
                continue;
            }
            compare(cur.asGroupType(), in.asGroupType(), p + ".", problems, promote);
        }
        if (this == FORWARD || this == FULL) {
            for (Type cur : current.getFields()) {
                if (!incoming.containsField(cur.getName()) && cur.getRepetition() == Repetition.REQUIRED) {
                    problems.add("drops field '" + path + cur.getName() + "', which is required in the lake ("
                        + mode() + " allows dropping only optional fields)");
                }
            }
        }
    }

    private String mode() {
        return "schema.compatibility=" + name();
    }

    private static boolean samePrimitive(PrimitiveType a, PrimitiveType b) {
        return a.getPrimitiveTypeName() == b.getPrimitiveTypeName()
            && a.getTypeLength() == b.getTypeLength()
            && Objects.equals(a.getLogicalTypeAnnotation(), b.getLogicalTypeAnnotation());
    }

    /**
     * For two numeric columns where one widens the other (int to long, float to double, either way round), the
     * wider; else null. Readers take the narrower files as the wider type (Parquet readers and Iceberg alike).
     */
    static PrimitiveType wider(PrimitiveType a, PrimitiveType b) {
        PrimitiveType.PrimitiveTypeName x = a.getPrimitiveTypeName();
        PrimitiveType.PrimitiveTypeName y = b.getPrimitiveTypeName();
        if (x == y || !plainNumber(a) || !plainNumber(b)) {
            return null;
        }
        if (x == PrimitiveType.PrimitiveTypeName.INT32 && y == PrimitiveType.PrimitiveTypeName.INT64
            || x == PrimitiveType.PrimitiveTypeName.FLOAT && y == PrimitiveType.PrimitiveTypeName.DOUBLE) {
            return b;
        }
        if (x == PrimitiveType.PrimitiveTypeName.INT64 && y == PrimitiveType.PrimitiveTypeName.INT32
            || x == PrimitiveType.PrimitiveTypeName.DOUBLE && y == PrimitiveType.PrimitiveTypeName.FLOAT) {
            return a;
        }
        return null;
    }

    /** A number without a logical type other than a signed integer width (INT8 and INT16 are annotated INT32). */
    private static boolean plainNumber(PrimitiveType t) {
        org.apache.parquet.schema.LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return a == null || a instanceof org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation i
            && i.isSigned();
    }

    static String describe(Type t) {
        if (t.isPrimitive()) {
            PrimitiveType p = t.asPrimitiveType();
            return p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT)
                + (p.getLogicalTypeAnnotation() == null ? "" : " " + p.getLogicalTypeAnnotation());
        }
        return t.getLogicalTypeAnnotation() == null ? "a struct" : "a " + t.getLogicalTypeAnnotation();
    }

    /**
     * The union of two compatible schemas: every field of {@code current} (in its order), then those only
     * {@code incoming} has; a field stays required only where both require it.
     */
    public static MessageType merge(MessageType current, MessageType incoming) {
        return new MessageType(current.getName(), mergeFields(current, incoming));
    }

    private static List<Type> mergeFields(GroupType current, GroupType incoming) {
        List<Type> fields = new ArrayList<>();
        for (Type cur : current.getFields()) {
            if (!incoming.containsField(cur.getName())) {
                fields.add(optional(cur));
                continue;
            }
            Type in = incoming.getType(cur.getName());
            Repetition rep = cur.getRepetition() == Repetition.REQUIRED && in.getRepetition() == Repetition.REQUIRED
                ? Repetition.REQUIRED : cur.getRepetition() == Repetition.REPEATED ? Repetition.REPEATED
                : Repetition.OPTIONAL;
            if (cur.isPrimitive()) {
                PrimitiveType w = in.isPrimitive() ? wider(cur.asPrimitiveType(), in.asPrimitiveType()) : null;
                fields.add(withRepetition(w == null ? cur : w, rep));
            } else {
                GroupType g = cur.asGroupType();
                fields.add(ParquetTypes.group(rep, g.getName(), g.getLogicalTypeAnnotation(),
                    mergeFields(g, in.asGroupType())));
            }
        }
        for (Type in : incoming.getFields()) {
            if (!current.containsField(in.getName())) {
                fields.add(optional(in));
            }
        }
        return fields;
    }

    private static Type optional(Type t) {
        return t.getRepetition() == Repetition.REQUIRED ? withRepetition(t, Repetition.OPTIONAL) : t;
    }

    static Type withRepetition(Type t, Repetition rep) {
        return ParquetTypes.withRepetition(t, rep);
    }
}
