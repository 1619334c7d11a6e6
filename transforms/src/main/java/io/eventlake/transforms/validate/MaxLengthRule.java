package io.eventlake.transforms.validate;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import io.eventlake.transforms.util.FieldPath;

/** A string has at most N characters (Unicode code points), bytes at most N bytes, an array or map N entries. */
final class MaxLengthRule extends FieldRule {

    static final String KIND = "max.length";

    private final int max;
    private final String problem;

    MaxLengthRule(FieldPath path, int max) {
        super(KIND, path);
        this.max = max;
        this.problem = "longer than " + max;
    }

    @Override
    String problem(Object field) {
        int length;
        if (field instanceof String s) {
            // Code points never outnumber chars: count them only when the char count is over.
            length = s.length() <= max ? s.length() : s.codePointCount(0, s.length());
        } else if (field instanceof byte[] b) {
            length = b.length;
        } else if (field instanceof ByteBuffer b) {
            length = b.remaining();
        } else if (field instanceof Collection<?> c) {
            length = c.size();
        } else if (field instanceof Map<?, ?> m) {
            length = m.size();
        } else {
            return "expected a string, bytes, array or map, got " + ValueType.describe(field);
        }
        return length > max ? problem : null;
    }
}
