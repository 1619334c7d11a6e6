package io.eventlake.transforms.validate;

import java.util.regex.Pattern;

import io.eventlake.transforms.util.FieldPath;

/** The field is a string the whole of which matches a regular expression. */
final class PatternRule extends FieldRule {

    static final String KIND = "pattern";

    private final Pattern pattern;

    PatternRule(FieldPath path, Pattern pattern) {
        super(KIND, path);
        this.pattern = pattern;
    }

    @Override
    String problem(Object field) {
        if (!(field instanceof CharSequence s)) {
            return "expected a string, got " + ValueType.describe(field);
        }
        return pattern.matcher(s).matches() ? null : "does not match " + pattern.pattern();
    }
}
