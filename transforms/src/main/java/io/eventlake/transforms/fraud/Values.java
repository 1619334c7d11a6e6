package io.eventlake.transforms.fraud;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;

/** Reads times and numbers from the types Connect values carry, without throwing on a bad value. */
public final class Values {

    private Values() {
    }

    /** Epoch milliseconds of a Date, a number (epoch ms) or an ISO-8601 instant / numeric string; else NO_TIME. */
    public static long millis(Object v) {
        if (v instanceof Date d) {
            return d.getTime();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isEmpty()) {
            try {
                return Character.isDigit(s.charAt(0)) && s.indexOf('-') < 0 ? Long.parseLong(s)
                    : Instant.parse(s).toEpochMilli();
            } catch (NumberFormatException | DateTimeParseException e) {
                return FraudEvent.NO_TIME;
            }
        }
        return FraudEvent.NO_TIME;
    }

    /** A number (any Number, or a numeric string) as a double; else NaN. */
    public static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s && !s.isEmpty()) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
