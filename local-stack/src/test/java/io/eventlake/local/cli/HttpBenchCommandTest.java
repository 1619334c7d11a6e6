package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpBenchCommandTest {

    /** 8 connections of 500-event batches at 60,000 events/s: 4,000 events in flight take 66.7 ms on average. */
    @Test
    void littlesLawIsTheEventsInFlightOverTheRate() {
        assertEquals(66.67, HttpBenchCommand.littlesLawMs(8, 500, 60_000), 0.01);
        assertEquals(10.0, HttpBenchCommand.littlesLawMs(1, 500, 50_000), 1e-9);
        assertTrue(Double.isNaN(HttpBenchCommand.littlesLawMs(8, 500, 0)));
    }
}
