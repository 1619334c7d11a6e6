package io.eventlake.transforms.validate;

import io.eventlake.transforms.util.FieldPath;

/** The field is a string of the configured format. */
final class FormatRule extends FieldRule {

    static final String KIND = "format";

    private final Format format;

    FormatRule(FieldPath path, Format format) {
        super(KIND, path);
        this.format = format;
    }

    @Override
    String problem(Object field) {
        if (!(field instanceof String s)) {
            return "expected a string, got " + ValueType.describe(field);
        }
        return format.test(s) ? null : "not " + format.description();
    }
}
