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
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskProps;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return offsets.get(partition);
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
        });
        task.start(taskProps);
        return task;
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

    @Test
    void tasksShareTheSequenceAndStopAtMaxEvents() throws InterruptedException {
        Map<String, String> cfg = Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "7",
            EventGeneratorConfig.BATCH_SIZE_CONFIG, "2");
        List<SourceRecord> t0 = drain(task(null, cfg, 0, 2, new SteppingTime()), 10);
        List<SourceRecord> t1 = drain(task(null, cfg, 1, 2, new SteppingTime()), 10);
        assertEquals(4, t0.size());
        assertEquals(3, t1.size());
        EventFactory factory = new EventFactory(42);
        for (int k = 0; k < t0.size(); k++) {
            assertEquals(factory.event(2L * k, 0).getString(EventSchemas.EVENT_ID),
                ((Struct) t0.get(k).value()).getString(EventSchemas.EVENT_ID));
            assertEquals(Map.of(EventGeneratorSourceTask.STEP_OFFSET, k + 1L), t0.get(k).sourceOffset());
        }
        assertEquals(factory.event(5, 0).getString(EventSchemas.EVENT_ID),
            ((Struct) t1.get(2).value()).getString(EventSchemas.EVENT_ID));
    }

    @Test
    void recordsCarryTopicSchemaKeyAndEventTime() throws InterruptedException {
        SteppingTime time = new SteppingTime();
        SourceRecord r = task(null, Map.of(EventGeneratorConfig.TOPIC_CONFIG, "clicks"), 0, 1, time).poll().get(0);
        Struct value = (Struct) r.value();
        assertEquals("clicks", r.topic());
        assertEquals(EventSchemas.EVENT, r.valueSchema());
        assertEquals(value.getString(EventSchemas.USER_ID), r.key());
        assertEquals(time.ms, r.timestamp());
        assertEquals(time.ms, ((java.util.Date) value.get(EventSchemas.EVENT_TIME)).getTime());
    }

    @Test
    void resumesAfterTheCommittedStep() throws InterruptedException {
        Map<String, String> cfg = Map.of(EventGeneratorConfig.MAX_EVENTS_CONFIG, "10");
        List<SourceRecord> rest = drain(task(Map.of(EventGeneratorSourceTask.STEP_OFFSET, 6L), cfg, 0, 1,
            new SteppingTime()), 3);
        assertEquals(4, rest.size());
        assertEquals(new EventFactory(42).event(6, 0).getString(EventSchemas.EVENT_ID),
            ((Struct) rest.get(0).value()).getString(EventSchemas.EVENT_ID));
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
                ids.add(((Struct) r.value()).getString(EventSchemas.EVENT_ID));
                committed.put((Map<String, Object>) r.sourcePartition(), (Map<String, Object>) r.sourceOffset());
            }
        }
        assertEquals(12, ids.size());
        // Then 3 tasks take the 4 lanes over and finish.
        for (int t = 0; t < 3; t++) {
            drain(laneTask(committed, cfg, t, 3, new SteppingTime()), 20)
                .forEach(r -> ids.add(((Struct) r.value()).getString(EventSchemas.EVENT_ID)));
        }
        EventFactory factory = new EventFactory(42);
        List<String> expected = new ArrayList<>();
        for (long seq = 0; seq < 40; seq++) {
            expected.add(factory.event(seq, 0).getString(EventSchemas.EVENT_ID));
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
}
