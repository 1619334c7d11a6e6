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

    @Test
    void aStallCatchesUpWithAtMostTheCapNotEverythingItMissed() {
        RatePacer pacer = new RatePacer(1000, RateShape.FLAT, 1000, 0);
        // A minute without polling (a slow broker, a paused task) ...
        assertEquals(1000, pacer.allowance(60_000, 100_000), "at most 1 s worth at once");
        pacer.emitted(1000);
        // ... then the rate again, not the 59,000 events it missed.
        assertEquals(100, pacer.allowance(60_100, 100_000));
    }

    @Test
    void theShapeScalesTheRate() {
        RatePacer pacer = new RatePacer(100, new RateShape(0, 0, 3, 10_000, 10_000), 1000, 0);
        pacer.emitted(1);
        assertEquals(150, pacer.allowance(500, 1000), "a burst triples the rate");
    }
}
