package io.eventlake.transforms.validate;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The string formats a {@code formats} rule can ask for. The checks are written by hand where a regular expression
 * would cost more than the rest of the record's validation together (email, UUID).
 */
enum Format {
    /** {@code local@domain.tld}: no spaces, one {@code @}, a domain of at least two dot-separated labels. */
    EMAIL("an email address"),
    /** An absolute URI with a scheme and a host ({@code https://example.com/a?b}), as {@link URI} parses it. */
    URL("a URL"),
    /** The canonical 8-4-4-4-12 hexadecimal form, any version. */
    UUID("a UUID"),
    /** ISO-8601 date and time with an offset: {@code 2026-01-01T10:00:00Z}, {@code 2026-01-01T11:00:00.5+01:00}. */
    TIMESTAMP("an ISO-8601 timestamp with an offset"),
    /** ISO-8601 calendar date: {@code 2026-01-31}. */
    DATE("an ISO-8601 date"),
    /** An ISO 4217 code the JVM knows ({@code USD}, {@code EUR}), upper case. */
    CURRENCY("an ISO 4217 currency code");

    static final String NAMES = Arrays.stream(values()).map(Format::label).collect(Collectors.joining(", "));

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
        .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private final String description;

    Format(String description) {
        this.description = description;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    String description() {
        return description;
    }

    static Format parse(String name) {
        for (Format f : values()) {
            if (f.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (one of " + NAMES + ")");
    }

    boolean test(String s) {
        return switch (this) {
            case EMAIL -> isEmail(s);
            case URL -> isUrl(s);
            case UUID -> isUuid(s);
            case TIMESTAMP -> parses(DateTimeFormatter.ISO_OFFSET_DATE_TIME, s);
            case DATE -> parses(DateTimeFormatter.ISO_LOCAL_DATE, s);
            case CURRENCY -> CURRENCIES.contains(s);
        };
    }

    private static boolean parses(DateTimeFormatter format, String s) {
        try {
            format.parse(s);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isUrl(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static boolean isUuid(String s) {
        return s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-'
            && s.charAt(23) == '-' && hex(s, 0, 8) && hex(s, 9, 13) && hex(s, 14, 18) && hex(s, 19, 23)
            && hex(s, 24, 36);
    }

    private static final boolean[] HEX = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            HEX[c] = true;
        }
        for (char c = 'a'; c <= 'f'; c++) {
            HEX[c] = true;
            HEX[Character.toUpperCase(c)] = true;
        }
    }

    /** True when the characters in [from, to) are hexadecimal digits (ASCII). */
    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= HEX.length || !HEX[c]) {
                return false;
            }
        }
        return true;
    }

    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        if (at <= 0 || at > 64 || at != s.lastIndexOf('@') || s.length() > 254) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<'
                || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"') {
                return false;
            }
        }
        if (s.charAt(0) == '.' || s.charAt(at - 1) == '.' || s.substring(0, at).contains("..")) {
            return false;
        }
        return isDomain(s, at + 1);
    }

    /** Dot-separated labels of letters, digits and inner hyphens, at least two, the last of letters only. */
    private static boolean isDomain(String s, int from) {
        int labels = 0;
        int start = from;
        boolean lastAllLetters = false;
        for (int i = from; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int length = i - start;
                if (length == 0 || length > 63 || s.charAt(start) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                lastAllLetters = true;
                for (int k = start; k < i; k++) {
                    lastAllLetters &= Character.isLetter(s.charAt(k));
                }
                labels++;
                start = i + 1;
            } else {
                char c = s.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return labels >= 2 && lastAllLetters && s.length() - s.lastIndexOf('.') > 2;
    }
}
