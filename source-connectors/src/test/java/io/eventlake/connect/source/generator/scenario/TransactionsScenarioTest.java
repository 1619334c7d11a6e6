package io.eventlake.connect.source.generator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each injected fraud pattern, checked event by event against its definition and the card holder's profile. */
class TransactionsScenarioTest {

    private static final long SEED = 11;
    private static final Payments PAYMENTS = new Payments(SEED, 5_000);

    private static ScenarioSettings only(FraudPattern pattern, double share, boolean labels) {
        Map<FraudPattern, Double> shares = new EnumMap<>(FraudPattern.class);
        for (FraudPattern p : FraudPattern.values()) {
            shares.put(p, p == pattern ? share : 0.0);
        }
        return new ScenarioSettings(SEED, 5_000, 10, 10, labels, shares, 0.7, 24 * 3_600_000L, 240 * 3_600_000L);
    }

    private static List<Draft> stream(FraudPattern pattern, double share, int blocks) {
        return ScenarioFixture.events(new TransactionsScenario(only(pattern, share, true)), SEED, blocks);
    }

    private static Payments.Holder holder(Struct v) {
        return PAYMENTS.holder(Integer.parseInt(v.getString("user_id").substring("user-".length())));
    }

    private static double usd(Struct v, Payments.Holder h) {
        return ((BigDecimal) v.get("amount")).doubleValue() / h.home().perUsd();
    }

    private static boolean isFraud(Struct v) {
        return v.getBoolean("fraud_label");
    }

    @ParameterizedTest
    @EnumSource(FraudPattern.class)
    void eachPatternLandsNearItsShareAndOnlyFraudIsLabelled(FraudPattern pattern) {
        List<Draft> events = stream(pattern, 0.02, 3_000);
        long fraud = 0;
        for (Draft d : events) {
            Struct v = d.value();
            if (isFraud(v)) {
                assertEquals(pattern.label(), v.getString("fraud_pattern"));
                fraud++;
            } else {
                assertNull(v.getString("fraud_pattern"));
            }
            assertEquals(v.getString("user_id"), d.key());
            assertTrue(holder(v).cards().length >= 1 && List.of(holder(v).cards()).contains(v.getString("card_id")),
                "the card belongs to the user");
        }
        double share = fraud / (double) events.size();
        assertTrue(share > 0.014 && share < 0.026, pattern + " share " + share + " for 0.02");
    }

    @Test
    void legitimateChargesFollowTheHoldersProfile() {
        List<Draft> events = stream(FraudPattern.HIGH_AMOUNT, 0.0, 500);
        int atUsualMerchant = 0;
        for (Draft d : events) {
            Struct v = d.value();
            Payments.Holder h = holder(v);
            assertFalse(isFraud(v));
            assertEquals(h.home().currency(), v.getString("currency"));
            if ("online".equals(v.getString("channel"))) {
                assertEquals(h.device(), v.getString("device_id"));
            } else {
                assertNull(v.getString("device_id"));
                assertEquals(h.home().country(), v.getString("country"));
            }
            for (int m : h.usualMerchants()) {
                if (PAYMENTS.merchant(m).id().equals(v.getString("merchant_id"))) {
                    atUsualMerchant++;
                    break;
                }
            }
        }
        assertTrue(atUsualMerchant > 0.7 * events.size(), atUsualMerchant + " of " + events.size());
    }

    @Test
    void highAmountIsAtLeastEightTimesTheHoldersMedian() {
        int seen = 0;
        for (Draft d : stream(FraudPattern.HIGH_AMOUNT, 0.02, 500)) {
            Struct v = d.value();
            if (isFraud(v)) {
                Payments.Holder h = holder(v);
                assertTrue(usd(v, h) >= 8 * h.medianUsd() - 0.01, usd(v, h) + " vs median " + h.medianUsd());
                seen++;
            }
        }
        assertTrue(seen > 100, "seen " + seen);
    }

    @Test
    void burstIsSixOrMoreOnlineChargesOnOneCardInARow() {
        List<Draft> events = stream(FraudPattern.BURST, 0.02, 1_000);
        int runs = 0;
        for (int i = 0; i < events.size(); ) {
            Struct first = events.get(i).value();
            if (!isFraud(first)) {
                i++;
                continue;
            }
            int j = i;
            while (j < events.size() && isFraud(events.get(j).value())
                && events.get(j).value().getString("card_id").equals(first.getString("card_id"))) {
                assertEquals("online", events.get(j).value().getString("channel"));
                j++;
            }
            boolean cutByBlockEnd = j % 64 == 0;
            assertTrue(j - i >= 6 || cutByBlockEnd, "a burst of " + (j - i) + " at " + i);
            runs++;
            i = j;
        }
        assertTrue(runs > 50, "runs " + runs);
    }

    @Test
    void impossibleTravelFollowsACardsChargeAtHomeFromThousandsOfKmAway() {
        List<Draft> events = stream(FraudPattern.IMPOSSIBLE_TRAVEL, 0.02, 500);
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            Struct v = events.get(i).value();
            if (isFraud(v)) {
                Struct before = events.get(i - 1).value();
                assertFalse(isFraud(before));
                assertEquals(before.getString("card_id"), v.getString("card_id"));
                double km = Geo.distanceKm(before.getFloat64("latitude"), before.getFloat64("longitude"),
                    v.getFloat64("latitude"), v.getFloat64("longitude"));
                assertTrue(km >= TransactionsScenario.IMPOSSIBLE_TRAVEL_MIN_KM - 50, km + " km");
                seen++;
            }
        }
        assertTrue(seen > 100, "seen " + seen);
    }

    @Test
    void cardTestingIsManyTinyChargesFromANewDevice() {
        List<Draft> events = stream(FraudPattern.CARD_TESTING, 0.02, 1_000);
        int tiny = 0;
        int fraud = 0;
        for (Draft d : events) {
            Struct v = d.value();
            if (isFraud(v)) {
                Payments.Holder h = holder(v);
                assertNotEquals(h.device(), v.getString("device_id"));
                if (usd(v, h) <= 2.99 + 0.01) {
                    tiny++;
                }
                fraud++;
            }
        }
        assertTrue(tiny > 0.85 * fraud, tiny + " tiny of " + fraud);
    }

    @Test
    void newDeviceHighAmountUsesADeviceTheUserNeverHad() {
        int seen = 0;
        for (Draft d : stream(FraudPattern.NEW_DEVICE_HIGH_AMOUNT, 0.02, 500)) {
            Struct v = d.value();
            if (isFraud(v)) {
                Payments.Holder h = holder(v);
                assertEquals("online", v.getString("channel"));
                assertNotEquals(h.device(), v.getString("device_id"));
                assertTrue(usd(v, h) >= 3 * h.medianUsd() - 0.01);
                seen++;
            }
        }
        assertTrue(seen > 100, "seen " + seen);
    }

    @Test
    void compromisedMerchantChargesACustomerAgainAfterALegitimatePurchase() {
        List<Draft> events = stream(FraudPattern.COMPROMISED_MERCHANT, 0.02, 500);
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            Struct v = events.get(i).value();
            if (isFraud(v)) {
                Payments.Holder h = holder(v);
                assertEquals(PAYMENTS.merchant(PAYMENTS.compromisedMerchantIn(h.home())).id(),
                    v.getString("merchant_id"));
                int k = i - 1;
                while (isFraud(events.get(k).value())) {
                    k--;
                }
                Struct purchase = events.get(k).value();
                assertEquals(v.getString("merchant_id"), purchase.getString("merchant_id"));
                assertEquals(v.getString("card_id"), purchase.getString("card_id"));
                seen++;
            }
        }
        assertTrue(seen > 100, "seen " + seen);
    }

    @Test
    void aShareOfFraudsIsReportedDaysLaterAndNoLegitimateChargeIs() {
        List<Draft> events = stream(FraudPattern.HIGH_AMOUNT, 0.05, 2_000);
        int frauds = 0;
        int reported = 0;
        for (Draft d : events) {
            if (isFraud(d.value())) {
                frauds++;
                if (d.reportDelayMs() >= 0) {
                    reported++;
                    assertTrue(d.reportDelayMs() >= 24 * 3_600_000L && d.reportDelayMs() <= 240 * 3_600_000L);
                }
            } else {
                assertEquals(-1, d.reportDelayMs());
            }
        }
        double share = reported / (double) frauds;
        assertTrue(share > 0.65 && share < 0.75, "reported share " + share);
    }

    @Test
    void withoutLabelsTheSchemaHasNoGroundTruthButFraudIsStillInjected() {
        TransactionsScenario s = new TransactionsScenario(only(FraudPattern.HIGH_AMOUNT, 0.05, false));
        assertNull(s.valueSchema().field("fraud_label"));
        assertNull(s.valueSchema().field("fraud_pattern"));
        List<Draft> events = ScenarioFixture.events(s, SEED, 200);
        long reported = events.stream().filter(d -> d.reportDelayMs() >= 0).count();
        assertTrue(reported > 0, "frauds are injected (and reported) without labels");
        events.forEach(d -> d.value().validate());
    }
}
