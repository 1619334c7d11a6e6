package io.eventlake.transforms.util;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/**
 * Reads a point in time from what events carry: a {@link Date} (Connect's Timestamp logical type), a number of
 * epoch milliseconds, or an ISO-8601 string with an offset ({@code 2026-01-01T10:00:00Z},
 * {@code 2026-01-01T11:00:00+01:00}).
 */
public final class TimeValues {

    private TimeValues() {
    }

    /**
     * @throws IllegalArgumentException when the value is none of the above (null included), with a short reason
     */
    public static long epochMillis(Object value) {
        if (value instanceof Date date) {
            return date.getTime();
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof CharSequence text) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("not an ISO-8601 time with an offset");
            }
        }
        throw new IllegalArgumentException(value == null ? "null" : "not a time (" + value.getClass().getSimpleName()
            + ")");
    }
}
