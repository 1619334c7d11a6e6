package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.generator.EventGeneratorSourceTaskTest.SteppingTime;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;
import io.eventlake.connect.source.generator.scenario.TransactionsScenario;

/**
 * The simulated clock of {@code simulated.start=auto}: per-user activity in event time fixed by the population, a
 * backfill that ends at the connector's first start, never ahead of the wall clock, kept in the offsets; and lanes
 * that own disjoint users.
 */
class SimulatedClockTest {

    private static final long DAY = 86_400_000L;

    private static Map<String, String> auto(String maxEvents) {
        Map<String, String> p = new HashMap<>();
        p.put(EventGeneratorConfig.SCENARIO_CONFIG, "transactions");
        p.put(EventGeneratorConfig.EVENTS_PER_SECOND_CONFIG, "0");
        p.put(EventGeneratorConfig.LANES_CONFIG, "1");
        p.put(EventGeneratorConfig.TIME_MODE_CONFIG, "simulated");
        p.put(EventGeneratorConfig.SIMULATED_START_CONFIG, "auto");
        p.put(EventGeneratorConfig.USERS_CONFIG, "2");
        // 2 users x 12 a day = one event every hour of simulated time
        p.put(EventGeneratorConfig.SIMULATED_PER_USER_CONFIG, "12");
        p.put(EventGeneratorConfig.LATE_SHARE_CONFIG, "0");
        p.put(EventGeneratorConfig.REPORTS_TOPIC_CONFIG, "");
        p.put(EventGeneratorConfig.MAX_EVENTS_CONFIG, maxEvents);
        return p;
    }

    private static Map<String, String> taskProps(Map<String, String> props) {
        EventGeneratorSourceConnector connector = new EventGeneratorSourceConnector();
        connector.start(props);
        return connector.taskConfigs(1).get(0);
    }

    private static EventGeneratorSourceTask start(Map<String, String> taskProps, Map<String, Object> laneOffset,
                                                  SteppingTime time) {
        EventGeneratorSourceTask task = new EventGeneratorSourceTask(time);
        task.initialize(EventGeneratorSourceTaskTest.context(taskProps, partition -> laneOffset));
        task.start(taskProps);
        return task;
    }

    private static List<SourceRecord> poll(EventGeneratorSourceTask task) throws InterruptedException {
        List<SourceRecord> batch = task.poll();
        return batch == null ? List.of() : batch;
    }

    private static long eventTime(SourceRecord r) {
        return ((Date) ((Struct) r.value()).get("event_time")).getTime();
    }

    @Test
    void withMaxEventsTheBackfillEndsAtTheConnectorsStart() throws InterruptedException {
        long before = System.currentTimeMillis();
        Map<String, String> props = taskProps(auto("48"));
        long start = Long.parseLong(props.get(EventGeneratorConfig.TASK_CLOCK_START_CONFIG));
        // 48 events one simulated hour apart: the clock starts 48 hours before the connector started.
        assertTrue(start >= before - 48 * 3_600_000L && start <= System.currentTimeMillis() - 48 * 3_600_000L,
            "start " + start);
        SteppingTime time = new SteppingTime();
        time.ms = start + 48 * 3_600_000L;
        List<SourceRecord> records = poll(start(props, null, time));
        assertEquals(48, records.size());
        for (int k = 0; k < records.size(); k++) {
            assertEquals(start + k * 3_600_000L, eventTime(records.get(k)));
            assertEquals(start, records.get(k).sourceOffset().get(EventGeneratorSourceTask.CLOCK_OFFSET));
        }
    }

    @Test
    void theClockNeverPassesTheWallClockSoOnceCaughtUpEventsComeAtThePopulationsRate() throws InterruptedException {
        Map<String, String> props = taskProps(auto("0"));
        long start = Long.parseLong(props.get(EventGeneratorConfig.TASK_CLOCK_START_CONFIG));
        SteppingTime time = new SteppingTime();
        time.ms = start + 7 * DAY - 1;
        EventGeneratorSourceTask task = start(props, null, time);
        List<SourceRecord> backfill = poll(task);
        // One event an hour for 7 days, the last one (at start + 7 days) still a millisecond ahead.
        assertEquals(7 * 24, backfill.size());
        assertTrue(eventTime(backfill.get(backfill.size() - 1)) < time.ms);
        time.ms = start + 7 * DAY + 2 * 3_600_000L;
        List<SourceRecord> live = poll(task);
        assertEquals(3, live.size(), "events at +7d, +7d 1h and +7d 2h");
        for (SourceRecord r : live) {
            assertTrue(eventTime(r) <= time.ms);
        }
        assertEquals(List.of(), poll(task));
    }

    @Test
    void aClockKeptInTheOffsetsWinsOverTheOneTheConnectorChoseNow() throws InterruptedException {
        Map<String, String> props = taskProps(auto("100"));
        long kept = 1_700_000_000_000L;
        SteppingTime time = new SteppingTime();
        time.ms = kept + 30 * DAY;
        List<SourceRecord> records = poll(start(props, Map.of(EventGeneratorSourceTask.STEP_OFFSET, 10L,
            EventGeneratorSourceTask.REPORTS_OFFSET, 0L, EventGeneratorSourceTask.LANES_OFFSET, 1,
            EventGeneratorSourceTask.CLOCK_OFFSET, kept), time));
        assertEquals(90, records.size());
        assertEquals(kept + 10 * 3_600_000L, eventTime(records.get(0)));
        assertEquals(kept, records.get(0).sourceOffset().get(EventGeneratorSourceTask.CLOCK_OFFSET));
    }

    @Test
    void theSimulatedRateComesFromThePopulation() {
        Map<String, String> p = auto("0");
        p.put(EventGeneratorConfig.USERS_CONFIG, "2000");
        p.put(EventGeneratorConfig.SIMULATED_PER_USER_CONFIG, "4");
        assertEquals(2000 * 4 / 86_400.0, new EventGeneratorConfig(p).simulatedEventsPerSecond(), 1e-12);
        p.put(EventGeneratorConfig.SIMULATED_PER_USER_CONFIG, "0");
        p.put(EventGeneratorConfig.SIMULATED_RATE_CONFIG, "5");
        assertEquals(5.0, new EventGeneratorConfig(p).simulatedEventsPerSecond());
    }

    @Test
    void lanesOwnDisjointCardHolders() {
        ScenarioSettings settings = ScenarioSettings.defaults(42);
        int laneCount = 3;
        List<Set<String>> users = new ArrayList<>();
        List<Set<String>> cards = new ArrayList<>();
        for (int l = 0; l < laneCount; l++) {
            Lane lane = new Lane(l, EventGeneratorSourceTask.sourcePartition(l), 0, 0, 2_000,
                Scenarios.create(TransactionsScenario.NAME, settings), 42, laneCount);
            Set<String> u = new HashSet<>();
            Set<String> c = new HashSet<>();
            for (long step = 0; step < 2_000; step++) {
                Struct v = lane.draft(step).value();
                u.add(v.getString("user_id"));
                c.add(v.getString("card_id"));
            }
            users.add(u);
            cards.add(c);
        }
        for (int a = 0; a < laneCount; a++) {
            for (int b = a + 1; b < laneCount; b++) {
                Set<String> shared = new HashSet<>(users.get(a));
                shared.retainAll(users.get(b));
                assertTrue(shared.isEmpty(), "lanes " + a + " and " + b + " share users " + shared);
                Set<String> sharedCards = new HashSet<>(cards.get(a));
                sharedCards.retainAll(cards.get(b));
                assertTrue(sharedCards.isEmpty(), "lanes " + a + " and " + b + " share cards " + sharedCards);
            }
            assertFalse(users.get(a).isEmpty());
        }
    }

    @Test
    void aFraudStoryKeepsItsOwnPaceWhateverTheStreamsRate() throws InterruptedException {
        Map<String, String> p = auto("400");
        for (String pattern : List.of("high_amount", "impossible_travel", "card_testing", "new_device_high_amount",
            "compromised_merchant")) {
            p.put(EventGeneratorConfig.FRAUD_SHARE_PREFIX + pattern, "0");
        }
        p.put(EventGeneratorConfig.FRAUD_SHARE_PREFIX + "burst", "0.2");
        Map<String, String> props = taskProps(p);
        long start = Long.parseLong(props.get(EventGeneratorConfig.TASK_CLOCK_START_CONFIG));
        SteppingTime time = new SteppingTime();
        time.ms = start + 400 * 3_600_000L;
        List<SourceRecord> records = poll(start(props, null, time));
        assertEquals(400, records.size());
        // The stream has one event an hour; a burst's charges on one card are 15-90 s apart.
        Map<String, Long> lastBurstCharge = new HashMap<>();
        int paced = 0;
        for (SourceRecord r : records) {
            Struct v = (Struct) r.value();
            if (!"burst".equals(v.getString("fraud_pattern"))) {
                continue;
            }
            Long previous = lastBurstCharge.put(v.getString("card_id"), eventTime(r));
            if (previous != null && eventTime(r) - previous < 3_600_000L) {
                long gap = eventTime(r) - previous;
                assertTrue(gap >= 15_000 && gap <= 90_000, "gap " + gap);
                paced++;
            }
        }
        assertTrue(paced > 10, paced + " paced charges");
    }
}
