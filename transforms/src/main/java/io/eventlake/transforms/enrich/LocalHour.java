package io.eventlake.transforms.enrich;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * The local date, hour and day of week of an instant in a zone, remembered for the local hour it falls in: events
 * mostly arrive in time order, so the next one usually falls in the same hour and costs two comparisons. The span
 * is computed in the zone itself, so offsets of 30 or 45 minutes and daylight saving changes stay right.
 */
final class LocalHour {

    private final ZoneId zone;
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;
    private Date date;
    private String isoDate;
    private Integer hour;
    private String dayOfWeek;

    LocalHour(ZoneId zone) {
        this.zone = zone;
    }

    /** Moves to the local hour of {@code epochMillis}; the getters then describe it. */
    LocalHour at(long epochMillis) {
        if (epochMillis < start || epochMillis >= end) {
            ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(zone);
            ZonedDateTime hourStart = local.truncatedTo(ChronoUnit.HOURS);
            start = hourStart.toInstant().toEpochMilli();
            end = hourStart.plusHours(1).toInstant().toEpochMilli();
            LocalDate day = local.toLocalDate();
            // Connect's Date logical type: midnight UTC of the calendar day.
            date = new Date(day.toEpochDay() * 86_400_000L);
            isoDate = day.toString();
            hour = local.getHour();
            dayOfWeek = local.getDayOfWeek().name();
        }
        return this;
    }

    /** The local calendar day as Connect's Date (shared by the records of the hour: do not modify). */
    Date date() {
        return date;
    }

    /** The local calendar day as {@code 2026-01-31}. */
    String isoDate() {
        return isoDate;
    }

    Integer hour() {
        return hour;
    }

    /** {@code MONDAY} ... {@code SUNDAY}. */
    String dayOfWeek() {
        return dayOfWeek;
    }
}
