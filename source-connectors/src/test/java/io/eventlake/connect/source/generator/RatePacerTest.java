package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    @Test
    void allowsWhatIsDueSinceStart() {
        RatePacer pacer = new RatePacer(100, 0);
        assertEquals(1, pacer.allowance(0, 1000));
        assertEquals(51, pacer.allowance(500, 1000));
        pacer.emitted(51);
        assertEquals(0, pacer.allowance(500, 1000));
        assertEquals(50, pacer.allowance(1000, 1000));
    }

    @Test
    void capsAtTheBatchSize() {
        assertEquals(10, new RatePacer(1_000_000, 0).allowance(1000, 10));
    }

    @Test
    void zeroRateIsUnlimited() {
        RatePacer pacer = new RatePacer(0, 0);
        assertEquals(500, pacer.allowance(0, 500));
        assertEquals(0, pacer.waitMs(0));
    }

    @Test
    void waitsUntilTheNextEventIsDue() {
        RatePacer pacer = new RatePacer(10, 0);
        pacer.emitted(1);
        assertEquals(100, pacer.waitMs(0));
        assertEquals(1, pacer.waitMs(150));
    }
}
