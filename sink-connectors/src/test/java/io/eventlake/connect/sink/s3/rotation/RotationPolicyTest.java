package io.eventlake.connect.sink.s3.rotation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RotationPolicyTest {

    @Test
    void dueBySizeAtFlushSize() {
        RotationPolicy p = new RotationPolicy(3, 0);
        assertFalse(p.dueBySize(2));
        assertTrue(p.dueBySize(3));
    }

    @Test
    void dueByTimeOnceTheIntervalHasPassedSinceTheFirstRecord() {
        RotationPolicy p = new RotationPolicy(100, 1000);
        assertFalse(p.dueByTime(5_000, 5_999));
        assertTrue(p.dueByTime(5_000, 6_000));
    }

    @Test
    void zeroIntervalDisablesTheClock() {
        assertFalse(new RotationPolicy(100, 0).dueByTime(0, Long.MAX_VALUE));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RotationPolicy(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RotationPolicy(1, -1));
    }
}
