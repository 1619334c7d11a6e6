package io.eventlake.transforms.validate;

import io.eventlake.transforms.util.FieldPath;

/**
 * A rule about the value of one field. A missing or null field passes: whether it must be there is the
 * {@code required} rule's business, so an optional field is checked only when it is set.
 */
abstract class FieldRule implements Rule {

    private final String kind;
    private final FieldPath path;

    FieldRule(String kind, FieldPath path) {
        this.kind = kind;
        this.path = path;
    }

    @Override
    public final void check(Object value, Violations out) {
        Object field = path.get(value);
        if (field != null) {
            String problem = problem(field);
            if (problem != null) {
                out.add(kind, path, problem);
            }
        }
    }

    /** What is wrong with a non-null field value, or null when nothing is. Never echoes the value (PII). */
    abstract String problem(Object field);

    FieldPath path() {
        return path;
    }
}
