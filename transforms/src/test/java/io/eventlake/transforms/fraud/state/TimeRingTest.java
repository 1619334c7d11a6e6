package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimeRingTest {

    @Test
    void keepsTheLatestTimesSortedWhateverTheArrivalOrder() {
        TimeRing ring = new TimeRing(3);
        ring.add(30);
        ring.add(10);
        ring.add(20);
        ring.add(40);
        ring.add(5);
        assertEquals("[20, 30, 40]", ring.toString());
        assertEquals(2, ring.count(25, 40));
        assertEquals(1, ring.count(20, 29));
    }

    @Test
    void countsOnlyTheWindow() {
        TimeRing ring = new TimeRing(5);
        for (long t = 0; t < 5; t++) {
            ring.add(t * 10);
        }
        assertEquals(3, ring.count(15, 40));
        assertEquals(0, ring.count(41, 100));
    }
}
