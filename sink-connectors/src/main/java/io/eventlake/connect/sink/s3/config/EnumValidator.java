package io.eventlake.connect.sink.s3.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts the names of an enum, case-insensitively, and recommends them. */
final class EnumValidator implements ConfigDef.Validator, ConfigDef.Recommender {

    private final List<String> names;

    EnumValidator(Class<? extends Enum<?>> type) {
        this.names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    EnumValidator(List<String> names) {
        this.names = List.copyOf(names);
    }

    @Override
    public void ensureValid(String name, Object value) {
        String v = value == null ? "" : value.toString().trim().toLowerCase(Locale.ROOT);
        if (!names.contains(v)) {
            throw new ConfigException(name, value, "must be one of " + String.join(", ", names));
        }
    }

    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return List.copyOf(names);
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
    }

    @Override
    public String toString() {
        return "one of " + String.join(", ", names) + " (case insensitive)";
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
