package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Date;

import org.junit.jupiter.api.Test;

class TimeValuesTest {

    private static final long T = 1_767_261_600_000L; // 2026-01-01T10:00:00Z

    @Test
    void readsDatesEpochMillisAndIsoStrings() {
        assertEquals(T, TimeValues.epochMillis(new Date(T)));
        assertEquals(T, TimeValues.epochMillis(T));
        assertEquals(T, TimeValues.epochMillis("2026-01-01T10:00:00Z"));
        assertEquals(T, TimeValues.epochMillis("2026-01-01T11:00:00+01:00"));
    }

    @Test
    void refusesWhatIsNoTime() {
        assertEquals("not an ISO-8601 time with an offset",
            assertThrows(IllegalArgumentException.class, () -> TimeValues.epochMillis("2026-01-01T10:00")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeValues.epochMillis(1.5));
        assertThrows(IllegalArgumentException.class, () -> TimeValues.epochMillis(null));
    }
}
