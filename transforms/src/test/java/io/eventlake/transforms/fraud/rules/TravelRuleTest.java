package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.Role;

class TravelRuleTest {

    // Paris -> New York: about 5,837 km.
    private static final double NY_LAT = 40.7128;
    private static final double NY_LON = -74.0060;

    private static TravelRule rule() {
        return new TravelRule(Role.CARD, 1000, 500, HOUR, limits(), 0.9);
    }

    @Test
    void firesAboveTheMaxSpeedAndNotBelow() {
        TravelRule fast = rule();
        fast.apply(at(0));
        assertTrue(fast.apply(at(5 * HOUR).location(NY_LAT, NY_LON)) >= 1, "5,837 km in 5 h");
        TravelRule slow = rule();
        slow.apply(at(0));
        assertTrue(slow.apply(at(6 * HOUR).location(NY_LAT, NY_LON)) < 1, "5,837 km in 6 h");
    }

    @Test
    void closePointsAreNeverImpossible() {
        TravelRule r = rule();
        r.apply(at(0));
        assertEquals(0, r.apply(at(1).location(48.85 + 4, 2.35)), "445 km at once is below the min distance");
    }

    @Test
    void theFlaggedPlaceIsNotTrustedSoTheNextChargeAtHomeIsNotFlagged() {
        TravelRule r = rule();
        r.apply(at(0));
        assertTrue(r.apply(at(MIN).location(NY_LAT, NY_LON)) >= 1);
        assertEquals(0, r.apply(at(2 * HOUR)), "back in Paris, compared with Paris");
    }

    @Test
    void fallsBackToCountriesWithoutCoordinates() {
        TravelRule r = rule();
        r.apply(at(0).location(Double.NaN, Double.NaN).country("FR"));
        assertTrue(r.apply(at(30 * MIN).location(Double.NaN, Double.NaN).country("BR")) >= 1);
        assertEquals(0, r.apply(at(3 * HOUR).location(Double.NaN, Double.NaN).country("AR")));
    }

    @Test
    void skipsWithoutPlace() {
        assertTrue(Double.isNaN(rule().apply(at(0).location(Double.NaN, Double.NaN))));
    }
}
