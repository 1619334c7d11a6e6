package io.eventlake.transforms.util;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Empty, or a Java regular expression; names the key and says what is wrong with the expression. */
public final class PatternValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isEmpty()) {
            return;
        }
        try {
            Pattern.compile(value.toString());
        } catch (PatternSyntaxException e) {
            throw new ConfigException(name, value, "not a regular expression: " + e.getDescription() + " near index "
                + e.getIndex());
        }
    }

    @Override
    public String toString() {
        return "empty, or a Java regular expression";
    }
}
