package io.eventlake.connect.source.http.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reads an event time as epoch milliseconds, in one of three formats: {@code epoch_millis} (a JSON integer),
 * {@code iso8601} (a string such as {@code 2026-11-24T15:04:05.123Z} or {@code 2026-11-24T16:04:05+01:00}; without
 * an offset it is taken in the configured zone) or a {@link DateTimeFormatter} pattern such as
 * {@code dd/MM/yyyy HH:mm:ss} (in the configured zone unless the pattern has a zone or offset).
 */
public abstract class TimeParser {

    public static final String EPOCH_MILLIS = "epoch_millis";
    public static final String ISO8601 = "iso8601";

    /** What this parser expects, for error messages. */
    private final String expected;

    TimeParser(String expected) {
        this.expected = expected;
    }

    /**
     * @param format {@value #EPOCH_MILLIS}, {@value #ISO8601} or a pattern
     * @throws IllegalArgumentException when the pattern is not valid or cannot yield an instant
     */
    public static TimeParser of(String format, ZoneId zone) {
        String f = format.trim();
        if (EPOCH_MILLIS.equalsIgnoreCase(f)) {
            return new EpochMillis();
        }
        if (ISO8601.equalsIgnoreCase(f)) {
            return new Iso(zone);
        }
        return new Pattern(f, zone);
    }

    /** A raw JSON value (Long, Integer or String) to epoch millis; the message of the exception says what is wrong. */
    public final long parse(Object raw) {
        if (raw instanceof String s) {
            return parseText(s);
        }
        if (raw instanceof Long || raw instanceof Integer) {
            return parseNumber(((Number) raw).longValue());
        }
        throw unexpected(JsonTypes.describe(raw));
    }

    /** The problem of a value of the wrong JSON kind ({@code got} describes it). */
    public final IllegalArgumentException unexpected(String got) {
        return new IllegalArgumentException("expected " + expected + ", got " + got);
    }

    long parseText(String text) {
        throw unexpected("a string");
    }

    long parseNumber(long number) {
        throw unexpected("an integer");
    }

    private static final class EpochMillis extends TimeParser {
        EpochMillis() {
            super("epoch milliseconds (a JSON integer)");
        }

        @Override
        long parseNumber(long number) {
            return number;
        }
    }

    private static final class Iso extends TimeParser {
        private final ZoneId zone;

        Iso(ZoneId zone) {
            super("an ISO-8601 date-time string");
            this.zone = zone;
        }

        @Override
        long parseText(String text) {
            try {
                // The common case, UTC with a Z, without the general formatter's cost.
                if (text.endsWith("Z")) {
                    return Instant.parse(text).toEpochMilli();
                }
                TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text);
                if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                    return Instant.from(t).toEpochMilli();
                }
                return LocalDateTime.from(t).atZone(zone).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + JsonTypes.clip(text) + "' is not an ISO-8601 date-time "
                    + "such as 2026-11-24T15:04:05Z");
            }
        }
    }

    private static final class Pattern extends TimeParser {
        private final String pattern;
        private final DateTimeFormatter formatter;

        Pattern(String pattern, ZoneId zone) {
            super("a date-time string of pattern '" + pattern + "'");
            this.pattern = pattern;
            try {
                this.formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a date-time pattern: " + e.getMessage());
            }
            // A pattern that cannot carry a full date and time (e.g. "HH:mm") cannot give an instant.
            String sample = formatter.format(Instant.parse("2026-11-24T15:04:05.123Z"));
            try {
                parseText(sample);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the pattern does not give a date and time of day (it formats "
                    + "2026-11-24T15:04:05.123Z as '" + sample + "', which does not parse back to an instant)");
            }
        }

        @Override
        long parseText(String text) {
            try {
                return ZonedDateTime.parse(text, formatter).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + JsonTypes.clip(text) + "' does not match the pattern '"
                    + pattern + "'");
            }
        }
    }
}
