package io.eventlake.transforms.validate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.eventlake.transforms.util.EntryList;
import io.eventlake.transforms.util.FieldPath;

/**
 * The text of each rule key, parsed into rules. The same parsers back the {@link ConfigDef} validators and
 * {@code configure}, so what the REST validation accepts is exactly what the task runs. Each entry is
 * {@code <field path>:<spec>}; a field path never holds a colon, so the first colon ends it.
 */
final class RuleSyntax {

    private RuleSyntax() {
    }

    static Rule required(String entry) {
        return new RequiredRule(path(entry));
    }

    static Rule type(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<type>");
        return new TypeRule(path(parts[0]), ValueType.parse(parts[1]));
    }

    static Rule format(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<format>");
        return new FormatRule(path(parts[0]), Format.parse(parts[1]));
    }

    /** {@code amount:0:100000}, {@code quantity:1:} (no maximum), {@code temperature:-40.5:85}. */
    static Rule range(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<min>:<max>");
        int colon = parts[1].indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected <field>:<min>:<max> (either bound may be empty)");
        }
        BigDecimal min = bound(parts[1].substring(0, colon), "minimum");
        BigDecimal max = bound(parts[1].substring(colon + 1), "maximum");
        if (min == null && max == null) {
            throw new IllegalArgumentException("give a minimum, a maximum or both");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("minimum " + min.toPlainString() + " is above maximum "
                + max.toPlainString());
        }
        return new RangeRule(path(parts[0]), min, max);
    }

    private static BigDecimal bound(String text, String which) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(which + " '" + t + "' is not a number");
        }
    }

    /** {@code currency:USD|EUR|GBP}. */
    static Rule allowed(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<value>|<value>...");
        List<String> values = new ArrayList<>();
        for (String v : parts[1].split("\\|", -1)) {
            if (v.trim().isEmpty()) {
                throw new IllegalArgumentException("empty value in '" + parts[1] + "' (values are separated by |)");
            }
            values.add(v.trim());
        }
        return new AllowedRule(path(parts[0]), values);
    }

    /** {@code sku:[A-Z]{3}-\d{4}}; the regular expression is not trimmed on the right of the colon. */
    static Rule pattern(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<regular expression>");
        try {
            return new PatternRule(path(parts[0]), Pattern.compile(parts[1]));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription() + " near index "
                + e.getIndex());
        }
    }

    static Rule maxLength(String entry) {
        String[] parts = pathAndSpec(entry, "<field>:<length>");
        int max;
        try {
            max = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("length '" + parts[1] + "' is not a whole number");
        }
        if (max < 0) {
            throw new IllegalArgumentException("length " + max + " is negative");
        }
        return new MaxLengthRule(path(parts[0]), max);
    }

    static FieldPath path(String text) {
        return FieldPath.parse(text);
    }

    private static String[] pathAndSpec(String entry, String form) {
        int colon = entry.indexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("expected " + form);
        }
        return new String[] {entry.substring(0, colon).trim(), entry.substring(colon + 1)};
    }

    /** Parses every entry of a key's value (a LIST, or a string of {@link EntryList} entries) into rules. */
    static List<Rule> parseAll(String key, Object value, Function<String, Rule> parser) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : entries(value)) {
            try {
                rules.add(parser.apply(entry));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, "entry '" + entry + "': " + e.getMessage());
            }
        }
        return rules;
    }

    private static List<String> entries(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return EntryList.split(value.toString());
    }

    /** A validator that parses each entry; its {@code toString} is the syntax, printed in the config reference. */
    static ConfigDef.Validator validator(String syntax, Function<String, Rule> parser) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                parseAll(name, value, parser);
            }

            @Override
            public String toString() {
                return syntax;
            }
        };
    }
}
