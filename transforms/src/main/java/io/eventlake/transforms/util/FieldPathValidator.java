package io.eventlake.transforms.util;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validates a config value that is a {@link FieldPath}; names the key and describes itself in the reference. */
public final class FieldPathValidator implements ConfigDef.Validator {

    private final boolean emptyAllowed;

    private FieldPathValidator(boolean emptyAllowed) {
        this.emptyAllowed = emptyAllowed;
    }

    /** A field path. */
    public static FieldPathValidator required() {
        return new FieldPathValidator(false);
    }

    /** Empty (switched off), or a field path. */
    public static FieldPathValidator optional() {
        return new FieldPathValidator(true);
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            // A required key with no value is reported by ConfigDef itself ("Missing required configuration").
            return;
        }
        String text = value.toString().trim();
        if (emptyAllowed && text.isEmpty()) {
            return;
        }
        try {
            FieldPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return (emptyAllowed ? "empty, or " : "") + "a field path: names separated by dots, e.g. user_id or device.id";
    }
}
