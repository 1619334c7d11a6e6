package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentAmountsTest {

    @Test
    void sumsTheAmountsInAWindow() {
        RecentAmounts r = new RecentAmounts(4);
        r.add(10, 100);
        r.add(20, 50);
        r.add(30, 7);
        assertEquals(157, r.sum(0, 30));
        assertEquals(57, r.sum(15, 30));
        assertEquals(50, r.sum(15, 25));
        assertEquals(0, r.sum(31, 40));
    }

    /** A late amount is inserted at its time; when full the oldest goes, and an amount older than all kept is not. */
    @Test
    void keepsTheLatestAmountsInTimeOrder() {
        RecentAmounts r = new RecentAmounts(3);
        r.add(10, 1);
        r.add(30, 3);
        r.add(20, 2);
        assertEquals(5, r.sum(15, 30), "the late amount at 20 sits between 10 and 30");
        r.add(40, 4);
        assertEquals(0, r.sum(0, 15), "10 dropped when a fourth came");
        r.add(5, 100);
        assertEquals(3, r.size());
        assertEquals(9, r.sum(0, 40), "older than every kept amount: not kept");
    }
}
