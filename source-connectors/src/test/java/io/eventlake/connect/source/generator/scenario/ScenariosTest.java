package io.eventlake.connect.source.generator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenariosTest {

    static List<String> names() {
        return Scenarios.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyEventMatchesItsSchemaAndEveryBlockIsFull(String name) {
        Scenario s = Scenarios.create(name, ScenarioSettings.defaults(7));
        List<Draft> events = ScenarioFixture.events(s, 7, 50);
        assertEquals(50 * s.blockSize(), events.size());
        for (Draft d : events) {
            assertEquals(s.valueSchema(), d.value().schema());
            d.value().validate();
            assertNotNull(d.key());
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers(String name) {
        List<Draft> a = ScenarioFixture.events(Scenarios.create(name, ScenarioSettings.defaults(7)), 7, 5);
        List<Draft> b = ScenarioFixture.events(Scenarios.create(name, ScenarioSettings.defaults(7)), 7, 5);
        List<Draft> c = ScenarioFixture.events(Scenarios.create(name, ScenarioSettings.defaults(8)), 8, 5);
        assertEquals(a, b);
        assertNotEquals(a.stream().map(Draft::key).toList(), c.stream().map(Draft::key).toList());
    }

    @Test
    void eventIdsAreUniqueAcrossEveryScenarioAndTheReports() {
        Set<String> ids = new HashSet<>();
        int total = 0;
        for (String name : Scenarios.NAMES) {
            Scenario s = Scenarios.create(name, ScenarioSettings.defaults(7));
            for (long seq = 0; seq < 50_000; seq++) {
                ids.add(EventIds.of(7, s.idTag(), seq));
                total++;
            }
        }
        for (long seq = 0; seq < 50_000; seq++) {
            ids.add(EventIds.of(7, FraudReports.ID_TAG, seq));
            total++;
        }
        assertEquals(total, ids.size());
        assertTrue(EventIds.of(7, 1, 12).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertThrows(IllegalArgumentException.class, () -> EventIds.of(7, 1, -1));
    }

    @Test
    void clickstreamSessionsWalkPageByPage() {
        List<Draft> events = ScenarioFixture.events(Scenarios.create("clickstream", ScenarioSettings.defaults(3)), 3,
            40);
        Map<String, Struct> lastOfSession = new HashMap<>();
        Set<String> sessions = new HashSet<>();
        for (Draft d : events) {
            Struct v = d.value();
            String session = v.getString("session_id");
            Struct previous = lastOfSession.put(session, v);
            if (previous == null) {
                assertEquals(1, v.getInt32("page_index"));
                assertTrue(sessions.add(session), "a session id is used by one session only");
            } else {
                assertEquals(previous.getInt32("page_index") + 1, v.getInt32("page_index"));
                assertEquals(previous.getString("page_url"), v.getString("referrer"));
                assertNotNull(previous.getInt64("dwell_ms"), "only a session's last page has no dwell time");
                assertEquals(previous.getString("user_id"), v.getString("user_id"));
                assertEquals(previous.getString("user_agent"), v.getString("user_agent"));
            }
            assertEquals(v.getString("user_id"), d.key());
            assertTrue(v.getString("page_url").startsWith(ClickstreamScenario.SITE + "/"), v.getString("page_url"));
        }
        lastOfSession.values().forEach(last -> assertNull(last.getInt64("dwell_ms")));
        double mean = events.size() / (double) sessions.size();
        assertTrue(mean > 2.5 && mean < 6, "mean session length " + mean);
    }

    @Test
    void cartJourneysAddUpAndPurchasesFollowTheirCheckout() {
        List<Draft> events = ScenarioFixture.events(Scenarios.create("cart", ScenarioSettings.defaults(3)), 3, 200);
        Map<String, BigDecimal> checkouts = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        for (Draft d : events) {
            Struct v = d.value();
            String type = v.getString("event_type");
            types.merge(type, 1, Integer::sum);
            switch (type) {
                case "add_to_cart", "remove_from_cart" -> assertEquals(((BigDecimal) v.get("unit_price"))
                    .multiply(BigDecimal.valueOf(v.getInt32("quantity"))), v.get("amount"));
                case "checkout" -> assertNull(checkouts.put(v.getString("order_id"), (BigDecimal) v.get("amount")));
                case "purchase" -> assertEquals(checkouts.get(v.getString("order_id")), v.get("amount"),
                    "a purchase pays its checkout's total");
                case "login", "view_item" -> assertNull(v.get("amount"));
                default -> throw new AssertionError("unexpected type " + type);
            }
        }
        assertEquals(Set.of(CartScenario.TYPES), types.keySet());
        assertTrue(types.get("view_item") > types.get("add_to_cart"));
        assertTrue(types.get("checkout") > types.get("purchase"));
    }

    @Test
    void sensorReadingsCarryTheUnitOfTheirTypeAndAPlausibleBattery() {
        List<Draft> events = ScenarioFixture.events(Scenarios.create("sensors", ScenarioSettings.defaults(3)), 3, 50);
        Map<String, String> typeOfDevice = new HashMap<>();
        for (Draft d : events) {
            Struct v = d.value();
            int type = List.of(SensorsScenario.TYPES).indexOf(v.getString("sensor_type"));
            assertEquals(SensorsScenario.UNITS[type], v.getString("unit"));
            double battery = v.getFloat64("battery_pct");
            assertTrue(battery >= 0 && battery <= 100, "battery " + battery);
            String previous = typeOfDevice.put(v.getString("device_id"), v.getString("sensor_type"));
            assertTrue(previous == null || previous.equals(v.getString("sensor_type")), "a device has one type");
            assertEquals(v.getString("device_id"), d.key());
        }
    }

    @Test
    void unknownScenarioIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Scenarios.create("stocks", ScenarioSettings.defaults(1)));
        assertTrue(e.getMessage().contains("stocks") && e.getMessage().contains("transactions"), e.getMessage());
    }
}
