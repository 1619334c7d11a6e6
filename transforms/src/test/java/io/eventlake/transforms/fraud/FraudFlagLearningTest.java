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
                smt.offerReport(Map.of("event_time", new Date(T0 + t + HOUR), "reported_time",
                    new Date(T0 + t + HOUR + DAY), "user_id", "u" + u, "card_id", "c" + u, "merchant_id", "m" + u));
            }
            return out;
        }
    }

    private static Struct charge(int u, long t, String device) {
        return tx(t, "10.00").put("user_id", "u" + u).put("card_id", "c" + u).put("merchant_id", "m" + u)
            .put("device_id", device);
    }
}
