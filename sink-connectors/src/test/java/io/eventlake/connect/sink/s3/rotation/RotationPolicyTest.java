package io.eventlake.connect.sink.s3.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RotationPolicyTest {

    @Test
    void dueBySizeAtFlushSize() {
        RotationPolicy p = new RotationPolicy(3, 0, 0, 0);
        assertFalse(p.dueBySize(2));
        assertTrue(p.dueBySize(3));
    }

    @Test
    void dueByWallclockOnceTheIntervalHasPassedSinceTheFirstRecord() {
        RotationPolicy p = new RotationPolicy(100, 1000, 0, 0);
        assertFalse(p.dueByWallclock(5_000, 5_999));
        assertTrue(p.dueByWallclock(5_000, 6_000));
        assertEquals(1, p.wallclockDueInMs(5_000, 5_999));
    }

    @Test
    void alignedToTheClockEveryBatchIsDueAtTheSameBoundary() {
        RotationPolicy p = new RotationPolicy(100, 1000, 0, 0).alignedToClock();
        // Batches that started at 5,000 and 5,700 are both due at 6,000.
        assertFalse(p.dueByWallclock(5_000, 5_999));
        assertFalse(p.dueByWallclock(5_700, 5_999));
        assertTrue(p.dueByWallclock(5_000, 6_000));
        assertTrue(p.dueByWallclock(5_700, 6_000));
        assertEquals(300, p.wallclockDueInMs(5_700, 5_700));
    }

    @Test
    void dueByEventTimeWhenARecordWouldStretchTheSpanToTheInterval() {
        RotationPolicy p = new RotationPolicy(100, 0, 1000, 0);
        assertFalse(p.dueByEventTime(10_000, 10_500, 10_999));
        assertTrue(p.dueByEventTime(10_000, 10_500, 11_000));
        assertTrue(p.dueByEventTime(10_000, 10_500, 9_500), "a late record stretches the span backwards");
    }

    @Test
    void aFileIsFullAtItsByteLimit() {
        RotationPolicy p = new RotationPolicy(100, 0, 0, 1024);
        assertFalse(p.fileFull(1023));
        assertTrue(p.fileFull(1024));
    }

    @Test
    void zeroDisablesEachClockAndTheByteLimit() {
        RotationPolicy p = new RotationPolicy(100, 0, 0, 0);
        assertFalse(p.dueByWallclock(0, Long.MAX_VALUE));
        assertFalse(p.dueByEventTime(0, 0, Long.MAX_VALUE));
        assertFalse(p.fileFull(Long.MAX_VALUE));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RotationPolicy(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RotationPolicy(1, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RotationPolicy(1, 0, -1, 0));
    }
}
