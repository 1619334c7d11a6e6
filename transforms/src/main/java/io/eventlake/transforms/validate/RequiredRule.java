package io.eventlake.transforms.validate;

import io.eventlake.transforms.util.FieldPath;

/** The field is present and not null. */
final class RequiredRule implements Rule {

    static final String KIND = "required";

    private final FieldPath path;

    RequiredRule(FieldPath path) {
        this.path = path;
    }

    @Override
    public void check(Object value, Violations out) {
        if (path.get(value) == null) {
            out.add(KIND, path, path.isPresent(value) ? "null" : "missing");
        }
    }
}
