package io.eventlake.common.config;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Predicate;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validators shared by eventlake's plugins. Each names the key and the bad value in its error and describes itself
 * in {@link Object#toString()}, which the generated config reference prints as the valid values.
 */
public final class Validators {

    private Validators() {
    }

    /** An ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
    public static ConfigDef.Validator instant() {
        return of("an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z", v -> {
            Instant.parse(v);
            return true;
        }, "not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    }

    /** A time zone id such as {@code UTC} or {@code Europe/Paris}. */
    public static ConfigDef.Validator timeZone() {
        return of("a time zone id, e.g. UTC or Europe/Paris", v -> {
            ZoneId.of(v);
            return true;
        }, "not a time zone id (e.g. UTC, Europe/Paris)");
    }

    /**
     * A validator of string values: {@code test} returns false or throws a {@link RuntimeException} for a bad
     * value, which is then reported as {@code problem}. A null value is passed as the empty string.
     */
    public static ConfigDef.Validator of(String description, Predicate<String> test, String problem) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String v = value == null ? "" : value.toString();
                boolean ok;
                try {
                    ok = test.test(v);
                } catch (DateTimeException | IllegalArgumentException e) {
                    ok = false;
                }
                if (!ok) {
                    throw new ConfigException(name, value, problem);
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
