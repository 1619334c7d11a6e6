package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    @Test
    void ratePerSecondBetweenTwoReadings() {
        RateMeter meter = new RateMeter();
        assertEquals("-/s", meter.next(100, 1_000));
        assertEquals("2,500/s", meter.next(5_100, 3_000));
        assertEquals("0/s", meter.next(5_100, 4_000));
        assertEquals("-/s", meter.next(5_200, 4_000), "no time passed");
    }
}
