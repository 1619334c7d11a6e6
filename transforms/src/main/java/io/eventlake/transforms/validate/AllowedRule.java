package io.eventlake.transforms.validate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import io.eventlake.transforms.util.FieldPath;

/**
 * The field is one of the configured values, compared as text: a string as it is, a number in its plain decimal
 * form ({@code 2}, {@code 9.99}), a boolean as {@code true} or {@code false}.
 */
final class AllowedRule extends FieldRule {

    static final String KIND = "allowed";

    private final Set<String> values;
    private final String problem;

    AllowedRule(FieldPath path, List<String> values) {
        super(KIND, path);
        this.values = Set.copyOf(values);
        this.problem = "not one of " + String.join("|", values);
    }

    @Override
    String problem(Object field) {
        String text;
        if (field instanceof String s) {
            text = s;
        } else if (field instanceof BigDecimal d) {
            text = d.toPlainString();
        } else if (field instanceof Number || field instanceof Boolean) {
            text = field.toString();
        } else {
            return "expected a string, number or boolean, got " + ValueType.describe(field);
        }
        return values.contains(text) ? null : problem;
    }
}
