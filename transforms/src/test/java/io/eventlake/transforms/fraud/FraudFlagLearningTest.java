package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.T0;
import static io.eventlake.transforms.fraud.FraudFlagTest.record;
import static io.eventlake.transforms.fraud.FraudFlagTest.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Weights learned from the reports, through the SMT ({@code feedback.learn.weights}). */
class FraudFlagLearningTest {

    private static final int USERS = 100;

    /**
     * A weak rule that the reports keep confirming comes to flag on its own. Sequence, for users u0 to u99, two
     * hours apart: (1) a 10 USD charge from the user's own device; (2) an hour later a charge from a device never seen
     * before (new_device fires, weight 0.4: not flagged alone); (3) that charge is reported as fraud, with a reported
     * time a day later (offered at once, as a consumer reads it). The first users' stolen-device charges score under
     * 0.5; once more than 50 of them are older than the reports' delay, every one confirmed, new_device weighs about
     * 0.84 and the last users' charges are flagged with new_device as their only reason. With
     * feedback.learn.weights=false the same stream never flags.
     */
    @Test
    void aWeakRuleTheReportsConfirmComesToFlagOnItsOwn() {
        List<Struct> learning = stolenDeviceCharges(Map.of("feedback.topic", "reports"));
        Struct first = learning.get(0);
        assertEquals(List.of("new_device"), first.getArray("fraud_reasons"));
        assertFalse(first.getBoolean("fraud_flagged"), first.toString());
        Struct last = learning.get(USERS - 1);
        assertEquals(List.of("new_device"), last.getArray("fraud_reasons"));
        assertTrue(last.getBoolean("fraud_flagged"), last.toString());

        List<Struct> fixed = stolenDeviceCharges(Map.of("feedback.topic", "reports",
            "feedback.learn.weights", "false"));
        assertEquals(List.of("new_device"), fixed.get(USERS - 1).getArray("fraud_reasons"));
        assertTrue(fixed.stream().noneMatch(s -> s.getBoolean("fraud_flagged")));
        assertEquals(first.getFloat64("fraud_score"), fixed.get(0).getFloat64("fraud_score"), 1e-12,
            "nothing learned before the first reports are due");
    }

    /**
     * A task restarted mid-stream learns the same weights again and judges as if it had never stopped. Sequence: (1)
     * an uninterrupted task judges the stream above, each report offered right after its charge; (2) a task that
     * stopped after user 59 starts: its reports consumer has read the whole reports topic before the first record,
     * so every report is offered first, among them those of charges it has not judged yet (users 60-99); its restore
     * re-judges the 120 landed records of users 0-59 (FraudDetector#judge, the path of state.restore.topic); then it
     * judges users 60-99. Their verdicts equal the uninterrupted task's record by record (score, flag and reasons),
     * and some are flagged, which a task starting cold at user 60 does not do.
     */
    @Test
    void aRestartedTaskLearnsTheSameWeightsAgain() {
        Map<String, String> config = Map.of("feedback.topic", "reports");
        List<Struct> uninterrupted = stolenDeviceCharges(config);
        List<Struct> landed = new java.util.ArrayList<>();
        try (FraudFlag.Value<SourceRecord> first = new FraudFlag.Value<>()) {
            first.configure(config);
            for (int u = 0; u < 60; u++) {
                landed.add((Struct) first.apply(record(charge(u, u * 2 * HOUR, "home-" + u))).value());
                landed.add((Struct) first.apply(record(charge(u, u * 2 * HOUR + HOUR, "stolen-" + u))).value());
            }
        }
        try (FraudFlag.Value<SourceRecord> restarted = new FraudFlag.Value<>();
             FraudFlag.Value<SourceRecord> cold = new FraudFlag.Value<>()) {
            restarted.configure(config);
            cold.configure(config);
            for (int u = 0; u < USERS; u++) {
                restarted.offerReport(report(u));
            }
            for (Struct r : landed) {
                restarted.detector().judge(r);
            }
            int flagged = 0;
            for (int u = 60; u < USERS; u++) {
                long t = u * 2 * HOUR;
                restarted.apply(record(charge(u, t, "home-" + u)));
                Struct again = (Struct) restarted.apply(record(charge(u, t + HOUR, "stolen-" + u))).value();
                Struct expected = uninterrupted.get(u);
                assertEquals(expected.getFloat64("fraud_score"), again.getFloat64("fraud_score"), 1e-12, "u" + u);
                assertEquals(expected.getBoolean("fraud_flagged"), again.getBoolean("fraud_flagged"), "u" + u);
                assertEquals(expected.getArray("fraud_reasons"), again.getArray("fraud_reasons"), "u" + u);
                flagged += again.getBoolean("fraud_flagged") ? 1 : 0;
                cold.apply(record(charge(u, t, "home-" + u)));
                assertFalse(((Struct) cold.apply(record(charge(u, t + HOUR, "stolen-" + u))).value())
                    .getBoolean("fraud_flagged"), "cold u" + u);
            }
            assertTrue(flagged > 0, "the restarted task flags what the uninterrupted one learned to flag");
        }
    }

    private static Map<String, Object> report(int u) {
        long t = u * 2 * HOUR + HOUR;
        return Map.of("event_time", new Date(T0 + t), "reported_time", new Date(T0 + t + DAY), "user_id", "u" + u,
            "card_id", "c" + u, "merchant_id", "m" + u);
    }

    /** The verdicts of the users' stolen-device charges, in order. */
    private static List<Struct> stolenDeviceCharges(Map<String, String> config) {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(config);
            List<Struct> out = new java.util.ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                long t = u * 2 * HOUR;
                smt.apply(record(charge(u, t, "home-" + u)));
                Struct stolen = (Struct) smt.apply(record(charge(u, t + HOUR, "stolen-" + u))).value();
                out.add(stolen);
                smt.offerReport(report(u));
            }
            return out;
        }
    }

    private static Struct charge(int u, long t, String device) {
        return tx(t, "10.00").put("user_id", "u" + u).put("card_id", "c" + u).put("merchant_id", "m" + u)
            .put("device_id", device);
    }
}
