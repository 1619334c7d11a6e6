package io.eventlake.transforms.fraud.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShareBoundTest {

    @Test
    void theQuantilesOfTheUsualConfidenceLevels() {
        assertEquals(1.2816, ShareBound.z(0.90), 5e-4);
        assertEquals(1.6449, ShareBound.z(0.95), 5e-4);
        assertEquals(2.3263, ShareBound.z(0.99), 5e-4);
        assertEquals(0, ShareBound.z(0.5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ShareBound.z(1.0));
    }

    /** Wilson's lower bounds at 95 % (one-sided), against values computed by hand from the formula. */
    @Test
    void theLowerBoundScalesWithTheSample() {
        double z = ShareBound.z(0.95);
        assertEquals(0.526, ShareBound.lower(3, 3, z), 2e-3);
        assertEquals(0.0117, ShareBound.lower(3, 100, z), 5e-4);
        assertEquals(0.270, ShareBound.lower(1, 1, z), 2e-3);
        assertTrue(ShareBound.lower(30, 30, z) > 0.9);
        assertEquals(0, ShareBound.lower(0, 10, z));
        assertEquals(0, ShareBound.lower(0, 0, z));
        assertEquals(ShareBound.lower(3, 3, z), ShareBound.lower(3, 2, z), "more confirmed than known counts as all");
    }
}
