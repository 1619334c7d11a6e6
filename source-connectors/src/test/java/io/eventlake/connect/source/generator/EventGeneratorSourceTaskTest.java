package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.generator.scenario.CartScenario;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;

@SuppressWarnings("unchecked")
class EventGeneratorSourceTaskTest {

    /** A clock that only moves when the task sleeps. */
    static final class SteppingTime implements Time {
        long ms = 10_000;

        @Override
        public long milliseconds() {
            return ms;
        }

        @Override
        public long nanoseconds() {
            return ms * 1_000_000;
        }

        @Override
        public void sleep(long millis) {
            ms += millis;
        }

        @Override
        public void waitObject(Object o, Supplier<Boolean> c, long d) {
            throw new UnsupportedOperationException();
        }
    }

    private static EventGeneratorSourceTask task(Map<String, Object> committedOffset, Map<String, String> overrides,
        int index, int count, Time time) {
        Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>();
        if (committedOffset != null) {
            offsets.put(EventGeneratorSourceTask.sourcePartition(0), committedOffset);
        }
        return laneTask(offsets, overrides, index, count, time);
    }

    private static EventGeneratorSourceTask laneTask(Map<Map<String, Object>, Map<String, Object>> offsets,
        Map<String, String> overrides, int index, int count, Time time) {
        EventGeneratorSourceConnector connector = new EventGeneratorSourceConnector();
        Map<String, String> props = new HashMap<>();
        props.put(EventGeneratorConfig.EVENTS_PER_SECOND_CONFIG, "0");
        props.put(EventGeneratorConfig.LANES_CONFIG, Integer.toString(count));
        props.putAll(overrides);
        connector.start(props);
        Map<String, String> taskProps = connector.taskConfigs(count).get(index);
        EventGeneratorSourceTask task = new EventGeneratorSourceTask(time);
        task.initialize(context(taskProps, offsets::get));
        task.start(taskProps);
        return task;
    }

    /** A task context with these task props, whose committed offset of a lane's partition is {@code offsets}'. */
    static SourceTaskContext context(Map<String, String> taskProps,
                                     java.util.function.Function<Map<String, ?>, Map<String, Object>> offsets) {
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskProps;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return offsets.apply(partition);
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> ps) {
                        throw new UnsupportedOperationException();
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        };
    }

    private static List<SourceRecord> drain(EventGeneratorSourceTask task, int polls) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
            }
        }
        return all;
    }

    private static final EventStream CART = new EventStream(
        Scenarios.create("cart", ScenarioSettings.defaults(42)), 42, 1);

    private static String id(SourceRecord r) {
        Struct value = (Struct) r.value();
        return value.getString(value.schema().fields().get(0).name());
    }

    /**
     * A task resumes in sequence order when its lanes stopped mid-round. Sequence: of 4 lanes, the last committed
     * transaction ended after lanes 0 and 1 had emitted step 0 (sequences 0, 1) and lanes 2 and 3 had not; the task
     * restarts. It emits sequences 2, 3, 4, 5..., not 4, 5, 2, 3 (lane 0 first), so a transform keyed across users
     * judges events in the order an uninterrupted run did.
     */
    @Test
    void aRestartedTaskResumesInSequenceOrderWhenItsLanesStoppedMidRound() throws InterruptedException {
        Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>();
        for (int lane = 0; lane < 2; lane++) {
            offsets.put(EventGeneratorSourceTask.sourcePartition(lane), Map.of(EventGeneratorSourceTask.STEP_OFFSET,
                1L, EventGeneratorSourceTask.REPORTS_OFFSET, 0L, EventGeneratorSourceTask.LANES_OFFSET, 4));
        }
        List<SourceRecord> records = drain(laneTask(offsets, Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "8",
            EventGeneratorConfig.LANES_CONFIG, "4"), 0, 1, new SteppingTime()), 3);
        assertEquals(List.of(CART.id(2), CART.id(3), CART.id(4), CART.id(5), CART.id(6), CART.id(7)),
            records.stream().map(EventGeneratorSourceTaskTest::id).toList());
    }

    @Test
    void tasksShareTheSequenceAndStopAtMaxEvents() throws InterruptedException {
        Map<String, String> cfg = Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "7",
            EventGeneratorConfig.BATCH_SIZE_CONFIG, "2");
        List<SourceRecord> t0 = drain(task(null, cfg, 0, 2, new SteppingTime()), 10);
        List<SourceRecord> t1 = drain(task(null, cfg, 1, 2, new SteppingTime()), 10);
        assertEquals(4, t0.size());
        assertEquals(3, t1.size());
        for (int k = 0; k < t0.size(); k++) {
            assertEquals(CART.id(2L * k), id(t0.get(k)));
            assertEquals(Map.of(EventGeneratorSourceTask.STEP_OFFSET, k + 1L, EventGeneratorSourceTask.REPORTS_OFFSET,
                0L, EventGeneratorSourceTask.LANES_OFFSET, 2), t0.get(k).sourceOffset());
        }
        assertEquals(CART.id(5), id(t1.get(2)));
    }

    @Test
    void recordsCarryTopicSchemaKeyAndEventTime() throws InterruptedException {
        SteppingTime time = new SteppingTime();
        SourceRecord r = task(null, Map.of(EventGeneratorConfig.TOPIC_CONFIG, "clicks",
            EventGeneratorConfig.LATE_SHARE_CONFIG, "0"), 0, 1, time).poll().get(0);
        Struct value = (Struct) r.value();
        assertEquals("clicks", r.topic());
        assertEquals(CartScenario.SCHEMA, r.valueSchema());
        assertEquals(value.getString("user_id"), r.key());
        assertEquals(time.ms, r.timestamp());
        assertEquals(time.ms, ((java.util.Date) value.get("event_time")).getTime());
        assertEquals(CART.event(0, time.ms), value);
    }

    @Test
    void resumesAfterTheCommittedStep() throws InterruptedException {
        Map<String, String> cfg = Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "10");
        List<SourceRecord> rest = drain(task(Map.of(EventGeneratorSourceTask.STEP_OFFSET, 6L), cfg, 0, 1,
            new SteppingTime()), 3);
        assertEquals(4, rest.size());
        assertEquals(CART.id(6), id(rest.get(0)));
    }

    @Test
    void keepsToTheRate() throws InterruptedException {
        SteppingTime time = new SteppingTime();
        EventGeneratorSourceTask task = task(null, Map.of(EventGeneratorConfig.EVENTS_PER_SECOND_CONFIG, "100"), 0, 1,
            time);
        long start = time.ms;
        int emitted = 0;
        while (time.ms - start < 2_000) {
            List<SourceRecord> batch = task.poll();
            emitted += batch == null ? 0 : batch.size();
        }
        assertTrue(emitted >= 199 && emitted <= 202, "emitted " + emitted + " in 2 s at 100/s");
    }

    @Test
    void idleAfterMaxEventsReturnsNull() throws InterruptedException {
        EventGeneratorSourceTask task = task(Map.of(EventGeneratorSourceTask.STEP_OFFSET, 5L),
            Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "5"), 0, 1, new SteppingTime());
        assertNull(task.poll());
    }

    @Test
    void corruptOffsetFailsNamingIt() {
        ConnectException e = assertThrows(ConnectException.class,
            () -> task(Map.of("other", 1), Map.of(), 0, 1, new SteppingTime()));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void sourcePartitionIsOneEntrySoItsBytesAreTheSameInEveryJvm() {
        // Connect finds offsets by the converter's bytes of this map; Map.of with two keys iterates in a
        // per-JVM order, and a restarted worker then found no offsets (seen in LauncherCrashRecoveryIT).
        assertEquals(Map.of("lane", 3), EventGeneratorSourceTask.sourcePartition(3));
        assertEquals(1, EventGeneratorSourceTask.sourcePartition(3).size());
    }

    @Test
    void changingTasksMaxResumesEveryLaneWithoutReplayOrGap() throws InterruptedException {
        Map<String, String> cfg = Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "40",
            EventGeneratorConfig.BATCH_SIZE_CONFIG, "3", EventGeneratorConfig.LANES_CONFIG, "4");
        Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();
        List<String> ids = new ArrayList<>();
        // First 2 tasks, two polls each: the offsets of what they emitted are committed.
        for (int t = 0; t < 2; t++) {
            for (SourceRecord r : drain(laneTask(committed, cfg, t, 2, new SteppingTime()), 2)) {
                ids.add(id(r));
                committed.put((Map<String, Object>) r.sourcePartition(), (Map<String, Object>) r.sourceOffset());
            }
        }
        assertEquals(12, ids.size());
        // Then 3 tasks take the 4 lanes over and finish.
        for (int t = 0; t < 3; t++) {
            drain(laneTask(committed, cfg, t, 3, new SteppingTime()), 20)
                .forEach(r -> ids.add(id(r)));
        }
        List<String> expected = new ArrayList<>();
        for (long seq = 0; seq < 40; seq++) {
            expected.add(CART.id(seq));
        }
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(ids));
        assertEquals(40, ids.size(), "no event twice");
    }

    @Test
    void stepsForSplitsTheTotal() {
        assertEquals(4, EventGeneratorSourceTask.stepsFor(7, 0, 2));
        assertEquals(3, EventGeneratorSourceTask.stepsFor(7, 1, 2));
        assertEquals(0, EventGeneratorSourceTask.stepsFor(2, 3, 4));
    }

    @Test
    void badConfigNamesTheKey() {
        EventGeneratorSourceConnector connector = new EventGeneratorSourceConnector();
        ConfigException e = assertThrows(ConfigException.class,
            () -> connector.start(Map.of(EventGeneratorConfig.EVENTS_PER_SECOND_CONFIG, "-5")));
        assertTrue(e.getMessage().contains("events.per.second") && e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    void connectorDealsLanesToTasksAndStartsNoMoreTasksThanLanes() {
        EventGeneratorSourceConnector connector = new EventGeneratorSourceConnector();
        connector.start(Map.of(EventGeneratorConfig.LANES_CONFIG, "5"));
        assertEquals(List.of("0,2,4", "1,3"),
            connector.taskConfigs(2).stream().map(c -> c.get("task.lanes")).toList());
        assertEquals(5, connector.taskConfigs(8).size());
        assertTrue(connector.version().matches("\\d+\\.\\d+\\.\\d+.*"), connector.version());
    }

    @Test
    void aChangedLaneCountIsRefusedNamingBothValues() {
        ConnectException e = assertThrows(ConnectException.class, () -> task(Map.of(EventGeneratorSourceTask.STEP_OFFSET,
            3L, EventGeneratorSourceTask.LANES_OFFSET, 4), Map.of(), 0, 2, new SteppingTime()));
        assertTrue(e.getMessage().contains("sequence.lanes is 2") && e.getMessage().contains("with 4 lanes"),
            e.getMessage());
    }

    private static Map<String, String> transactions(String maxEvents) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put(EventGeneratorConfig.SCENARIO_CONFIG, "transactions");
        cfg.put(EventGeneratorConfig.MAX_EVENTS_CONFIG, maxEvents);
        cfg.put(EventGeneratorConfig.LATE_SHARE_CONFIG, "0");
        cfg.put(EventGeneratorConfig.FRAUD_SHARE_PREFIX + "high_amount", "0.2");
        cfg.put(EventGeneratorConfig.REPORTS_SHARE_CONFIG, "1");
        return cfg;
    }

    @Test
    void aFraudReportFollowsItsTransactionAndOnlyTheReportAdvancesTheOffset() throws InterruptedException {
        List<SourceRecord> records = drain(task(null, transactions("2000"), 0, 1, new SteppingTime()), 5);
        int reports = 0;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord r = records.get(i);
            Map<String, Object> offset = (Map<String, Object>) r.sourceOffset();
            if (!"fraud-reports".equals(r.topic())) {
                assertEquals("transactions", r.topic());
                continue;
            }
            reports++;
            SourceRecord transaction = records.get(i - 1);
            Struct t = (Struct) transaction.value();
            Struct report = (Struct) r.value();
            assertTrue(t.getBoolean("fraud_label"));
            assertEquals(t.getString("transaction_id"), report.getString("transaction_id"));
            assertEquals(t.get("amount"), report.get("amount"));
            long delay = ((java.util.Date) report.get("reported_time")).getTime()
                - ((java.util.Date) report.get("event_time")).getTime();
            assertTrue(delay >= 24 * 3_600_000L && delay <= 240 * 3_600_000L, "delay " + delay);
            Map<String, Object> before = (Map<String, Object>) transaction.sourceOffset();
            assertEquals((long) offset.get("step") - 1, before.get("step"), "the transaction does not advance");
            assertEquals((long) reports, offset.get("reports"));
            assertEquals((long) reports - 1, before.get("reports"));
        }
        assertTrue(reports > 200, "reports " + reports);
        assertEquals(2000, records.size() - reports, "max.events counts transactions, not reports");
    }

    /**
     * Sequence: (1) the task emits a fraudulent transaction and then its report; (2) without exactly-once support the
     * worker commits the offset of the transaction's record only (the report's send was not acknowledged before the
     * crash); (3) the worker dies; (4) a new task starts from the committed offset. It must emit the transaction
     * again and then its report: at-least-once for the transaction, never a lost report.
     */
    @Test
    void aCrashBetweenATransactionAndItsReportReplaysTheTransactionAndLosesNoReport() throws InterruptedException {
        List<SourceRecord> first = drain(task(null, transactions("300"), 0, 1, new SteppingTime()), 1);
        int reportAt = 0;
        while (!"fraud-reports".equals(first.get(reportAt).topic())) {
            reportAt++;
        }
        SourceRecord transaction = first.get(reportAt - 1);
        Map<String, Object> committed = (Map<String, Object>) transaction.sourceOffset();

        List<SourceRecord> second = drain(task(committed, transactions("300"), 0, 1, new SteppingTime()), 1);
        assertEquals(((Struct) transaction.value()).getString("transaction_id"),
            ((Struct) second.get(0).value()).getString("transaction_id"), "the transaction is replayed");
        assertEquals("fraud-reports", second.get(1).topic());
        assertEquals(((Struct) first.get(reportAt).value()).getString("report_id"),
            ((Struct) second.get(1).value()).getString("report_id"), "its report follows, with the same id");
    }

    @Test
    void lateEventsAreBehindTheClockByAtMostTheBound() throws InterruptedException {
        SteppingTime time = new SteppingTime();
        List<SourceRecord> records = drain(task(null, Map.of(EventGeneratorConfig.LATE_SHARE_CONFIG, "0.3",
            EventGeneratorConfig.LATE_MAX_CONFIG, "60000", EventGeneratorConfig.MAX_EVENTS_CONFIG, "2000"), 0, 1, time),
            2);
        assertEquals(2000, records.size());
        int late = 0;
        for (SourceRecord r : records) {
            long t = ((java.util.Date) ((Struct) r.value()).get("event_time")).getTime();
            assertTrue(t <= time.ms && t >= time.ms - 60_000, "event time " + t + " at " + time.ms);
            assertEquals(t, r.timestamp());
            late += t < time.ms ? 1 : 0;
        }
        assertTrue(late > 500 && late < 700, late + " late of 2000 at 0.3");
    }

    @Test
    void simulatedTimeIsAFunctionOfTheSequenceAndTheRecordTimestampIsTheClock() throws InterruptedException {
        SteppingTime time = new SteppingTime();
        List<SourceRecord> records = drain(task(null, Map.of(EventGeneratorConfig.TIME_MODE_CONFIG, "simulated",
            EventGeneratorConfig.SIMULATED_START_CONFIG, "2026-01-01T00:00:00Z",
            EventGeneratorConfig.SIMULATED_RATE_CONFIG, "100", EventGeneratorConfig.LATE_SHARE_CONFIG, "0",
            EventGeneratorConfig.MAX_EVENTS_CONFIG, "50"), 0, 1, time), 1);
        long start = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int k = 0; k < records.size(); k++) {
            assertEquals(start + 10L * k, ((java.util.Date) ((Struct) records.get(k).value()).get("event_time"))
                .getTime());
            assertEquals(time.ms, records.get(k).timestamp());
        }
        assertEquals(50, records.size());
    }

    @Test
    void crossFieldProblemsAreReportedOnTheirKeyAtValidation() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put(EventGeneratorConfig.REPORTS_DELAY_MIN_CONFIG, "48");
        cfg.put(EventGeneratorConfig.REPORTS_DELAY_MAX_CONFIG, "24");
        Map<String, List<String>> errors = new HashMap<>();
        new EventGeneratorSourceConnector().validate(cfg).configValues()
            .forEach(v -> errors.put(v.name(), v.errorMessages()));
        assertTrue(errors.get(EventGeneratorConfig.REPORTS_DELAY_MAX_CONFIG).get(0).contains("below"),
            errors.toString());
        assertEquals(List.of(), errors.get(EventGeneratorConfig.SCENARIO_CONFIG));

        ConfigException e = assertThrows(ConfigException.class, () -> new EventGeneratorConfig(
            Map.of(EventGeneratorConfig.SCENARIO_CONFIG, "stocks")));
        assertTrue(e.getMessage().contains("scenario") && e.getMessage().contains("stocks"), e.getMessage());
    }
}
