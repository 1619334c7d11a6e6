package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
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

/** State through the SMT: bounds, out-of-order events, reports fed back. */
class FraudFlagStateTest {

    private static Struct apply(FraudFlag.Value<SourceRecord> smt, Struct v) {
        return (Struct) smt.apply(record(v)).value();
    }

    @Test
    void stateStaysWithinMaxKeys() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("state.max.keys", "10"));
            for (int i = 0; i < 100; i++) {
                apply(smt, tx(i * MIN, "10.00").put("user_id", "u" + i).put("card_id", "c" + i));
            }
            smt.detector().rules().forEach(r -> assertTrue(r.keys() <= 10, r.name() + " holds " + r.keys()));
        }
    }

    @Test
    void aCardIdleLongerThanTheTtlIsForgotten() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("state.ttl.ms", Long.toString(HOUR), "velocity.max.events", "1"));
            apply(smt, tx(0, "10.00"));
            apply(smt, tx(2 * HOUR, "10.00").put("card_id", "other"));
            Struct back = apply(smt, tx(2 * HOUR + 1, "10.00"));
            assertFalse(back.getArray("fraud_reasons").contains("velocity"));
        }
    }

    /**
     * Out of order: the 4th of four charges within 10 minutes arrives last but carries the earliest time (t=0, then
     * t=1, 2, 3 min arrive before it). It is judged as of t=0 (one charge in its window) and inserted in order, so
     * the next charge at t=4 min sees all five.
     */
    @Test
    void aLateEventIsJudgedAtItsOwnTimeAndCountsForLaterOnes() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of());
            apply(smt, tx(MIN, "10.00"));
            apply(smt, tx(2 * MIN, "10.00"));
            apply(smt, tx(3 * MIN, "10.00"));
            Struct late = apply(smt, tx(0, "10.00"));
            assertFalse(late.getArray("fraud_reasons").contains("velocity"), "judged at t=0");
            assertTrue(apply(smt, tx(4 * MIN, "10.00")).getArray("fraud_reasons").contains("velocity"));
        }
    }

    /**
     * Regression, through the SMT's report path: (1) charges at merchant m1 from t=0; (2) at t1 = 3 days, a charge
     * is judged; (3) a report of a fraud at m1, with reported time t2 = 5 days, is offered (as the consumer would);
     * (4) the same charge at t1 is judged again (a replay): it must score as in (2); (5) a charge at t2 sees it.
     */
    @Test
    void aReplayedEventDoesNotSeeAReportFiledAfterIt() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("feedback.topic", "reports", "feedback.merchant.min.reports", "1",
                "feedback.merchant.min.share", "0.001"));
            for (int i = 0; i < 3; i++) {
                apply(smt, tx(i * DAY, "10.00").put("card_id", "c" + i));
            }
            Struct first = apply(smt, tx(3 * DAY, "10.00").put("card_id", "x"));
            smt.offerReport(Map.of("event_time", new Date(T0 + DAY), "reported_time", new Date(T0 + 5 * DAY),
                "merchant_id", "m1", "card_id", "c1"));
            Struct replay = apply(smt, tx(3 * DAY, "10.00").put("card_id", "y"));
            assertEquals(first.getFloat64("fraud_score"), replay.getFloat64("fraud_score"));
            assertEquals(List.of(), replay.getArray("fraud_reasons"));
            Struct later = apply(smt, tx(5 * DAY, "10.00").put("card_id", "z"));
            assertTrue(later.getArray("fraud_reasons").contains("merchant_fraud_rate"));
            assertTrue(later.getFloat64("fraud_score") > 0);
        }
    }

    /**
     * Regression (reports share no clock with transactions): (1) a backfill starts and the reports consumer has read
     * every report first, among them one of a fraud 60 days after the records about to be judged, on a card this task
     * never sees; (2) four charges on card c1 within 4 minutes are judged, from t=0. The 4th must fire velocity:
     * the report's time must not move the event time of the cards' state forward (it did when reports shared the
     * cards' table: every c1 state looked idle for 60 days and started afresh).
     */
    @Test
    void aReportFromTheFutureOfABackfillDoesNotAgeTheState() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("feedback.topic", "reports"));
            smt.offerReport(Map.of("event_time", new Date(T0 + 60 * DAY), "reported_time", new Date(T0 + 61 * DAY),
                "merchant_id", "elsewhere", "card_id", "other card"));
            Struct last = null;
            for (int i = 0; i < 4; i++) {
                last = apply(smt, tx(i * MIN, "10.00"));
            }
            assertTrue(last.getArray("fraud_reasons").contains("velocity"), last.toString());
        }
    }

    @Test
    void reportsWithoutTimesAreSkipped() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of("feedback.topic", "reports"));
            smt.offerReport(Map.of("merchant_id", "m1"));
            assertEquals(1, smt.detector().inbox().refused());
        }
    }
}
