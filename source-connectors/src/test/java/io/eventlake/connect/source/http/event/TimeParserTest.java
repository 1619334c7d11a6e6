package io.eventlake.connect.source.http.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class TimeParserTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final long T = Instant.parse("2026-11-24T15:04:05.123Z").toEpochMilli();

    @Test
    void epochMillisTakesJsonIntegers() {
        assertEquals(T, TimeParser.of("epoch_millis", PARIS).parse(T));
    }

    @Test
    void epochMillisRefusesStrings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TimeParser.of("epoch_millis", PARIS).parse("2026-11-24T15:04:05Z"));
        assertEquals("expected epoch milliseconds (a JSON integer), got a string", e.getMessage());
    }

    @Test
    void isoTakesUtcOffsetsAndLocalTimesInTheZone() {
        TimeParser iso = TimeParser.of("iso8601", PARIS);
        assertEquals(T, iso.parse("2026-11-24T15:04:05.123Z"));
        assertEquals(T, iso.parse("2026-11-24T17:04:05.123+02:00"));
        // No offset: Paris, which is UTC+1 in November.
        assertEquals(T, iso.parse("2026-11-24T16:04:05.123"));
    }

    @Test
    void isoRefusesNumbersAndNonsense() {
        TimeParser iso = TimeParser.of("ISO8601", PARIS);
        assertEquals("expected an ISO-8601 date-time string, got an integer",
            assertThrows(IllegalArgumentException.class, () -> iso.parse(T)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> iso.parse("yesterday")).getMessage()
            .contains("'yesterday' is not an ISO-8601 date-time"));
    }

    @Test
    void aPatternIsReadInTheZone() {
        TimeParser p = TimeParser.of("dd/MM/yyyy HH:mm:ss.SSS", PARIS);
        assertEquals(T, p.parse("24/11/2026 16:04:05.123"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.parse("2026-11-24")).getMessage()
            .contains("does not match the pattern 'dd/MM/yyyy HH:mm:ss.SSS'"));
    }

    @Test
    void aPatternWithAnOffsetUsesIt() {
        assertEquals(T, TimeParser.of("yyyy-MM-dd HH:mm:ss.SSS XXX", PARIS).parse("2026-11-24 15:04:05.123 Z"));
    }

    @Test
    void aPatternWithoutADateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeParser.of("HH:mm", PARIS));
        assertTrue(e.getMessage().contains("does not give a date and time of day"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimeParser.of("yyyy-MM-dd bbb", PARIS))
            .getMessage().contains("not a date-time pattern"));
    }
}
