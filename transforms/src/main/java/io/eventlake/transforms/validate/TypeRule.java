package io.eventlake.transforms.validate;

import io.eventlake.transforms.util.FieldPath;

/** The field has the configured type. */
final class TypeRule extends FieldRule {

    static final String KIND = "type";

    private final ValueType type;

    TypeRule(FieldPath path, ValueType type) {
        super(KIND, path);
        this.type = type;
    }

    @Override
    String problem(Object field) {
        return type.matches(field) ? null : "expected " + type.label() + ", got " + ValueType.describe(field);
    }
}
