package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateShapeTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void diurnalPeaksAtThePeakHourAndDipsTwelveHoursLater() {
        RateShape shape = new RateShape(0.5, 20, 1, 1, 0);
        assertEquals(1.5, shape.factor(20 * HOUR), 1e-9);
        assertEquals(0.5, shape.factor(8 * HOUR), 1e-9);
        assertEquals(1.0, shape.factor(14 * HOUR), 1e-9);
    }

    @Test
    void burstsMultiplyTheRateForTheirDurationInEachInterval() {
        RateShape shape = new RateShape(0, 0, 4, 60_000, 5_000);
        assertEquals(4, shape.factor(120_000 + 4_999), 1e-9);
        assertEquals(1, shape.factor(120_000 + 5_000), 1e-9);
    }

    @Test
    void flatIsOne() {
        assertEquals(1, RateShape.FLAT.factor(123_456_789L), 1e-9);
    }
}
