package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentChargesTest {

    @Test
    void countsChargesAtOnePlaceInAWindow() {
        RecentCharges r = new RecentCharges(4);
        r.add(10, 1);
        r.add(20, 2);
        r.add(30, 1);
        assertEquals(2, r.count(1, 0, 30));
        assertEquals(1, r.count(1, 15, 30));
        assertEquals(1, r.count(2, 0, 30));
        assertEquals(0, r.count(3, 0, 30));
    }

    /** A late charge is inserted at its time; when full the oldest goes, and a charge older than all kept is not kept. */
    @Test
    void keepsTheLatestChargesInTimeOrder() {
        RecentCharges r = new RecentCharges(3);
        r.add(10, 1);
        r.add(30, 1);
        r.add(20, 1);
        assertEquals(2, r.count(1, 15, 30), "the late charge at 20 sits between 10 and 30");
        r.add(40, 1);
        assertEquals(0, r.count(1, 0, 15), "10 dropped when a fourth came");
        r.add(5, 1);
        assertEquals(3, r.size());
        assertEquals(0, r.count(1, 0, 9), "older than every kept charge: not kept");
        assertEquals(3, r.count(1, 0, 40));
    }
}
