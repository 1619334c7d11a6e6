package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.util.FixedTime;
import io.eventlake.transforms.util.PluginCounters;

/**
 * The topic table on a {@link MockConsumer}: the consumer thread's rounds are driven one {@code step()} at a time,
 * except where the waiting of the task thread is the point.
 */
class TopicReferenceDataTest {

    private static final String TOPIC = "users";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final FixedTime time = new FixedTime(0);
    private final PluginCounters metrics = new PluginCounters();
    private TopicReferenceData data;

    @AfterEach
    void close() {
        if (data != null) {
            data.close();
        }
    }

    private TopicReferenceData table(int maxEntries, long timeoutMs, boolean proceed, String defaults) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null),
            new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), false);
        Map<String, String> defaultValues = new HashMap<>();
        if (defaults != null) {
            defaultValues.put("tier", defaults);
        }
        Columns columns = new Columns(List.of("tier", "limit"), Map.of(), false, "", "enrich_status",
            defaultValues);
        data = new TopicReferenceData(TOPIC, consumer, new StringConverter(), json, columns, maxEntries, timeoutMs,
            proceed, time, metrics);
        return data;
    }

    private void end(long p0, long p1) {
        consumer.updateEndOffsets(Map.of(P0, p0, P1, p1));
    }

    private void add(TopicPartition tp, long offset, String key, String json) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, tp.partition(), offset,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            json == null ? null : json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Sequence: the topic holds u1 (twice: the second wins), u2 and u3 then a tombstone of u3, over two
     * partitions; the first round assigns and seeks, the next ones read; the load is done once both partitions
     * reached their end offsets at start, and only then are the types fixed.
     */
    @Test
    void readsTheTopicFromTheBeginningLastValueWinsTombstonesDelete() {
        TopicReferenceData t = table(100, 1000, false, null);
        end(3, 2);
        t.step();
        assertTrue(t.loading());
        add(P0, 0, "u1", "{\"tier\": \"gold\", \"limit\": 100}");
        add(P0, 1, "u3", "{\"tier\": \"tin\", \"limit\": 1}");
        add(P1, 0, "u2", "{\"tier\": \"silver\", \"limit\": 50}");
        t.step();
        assertTrue(t.loading(), "partition 0 is not read to its end yet");
        add(P0, 2, "u3", null);
        add(P1, 1, "u1", "{\"tier\": \"platinum\", \"limit\": 500}");
        t.step();
        assertFalse(t.loading());
        t.awaitReady();
        assertArrayEquals(new Object[] {"platinum", 500L}, t.get("u1"));
        assertArrayEquals(new Object[] {"silver", 50L}, t.get("u2"));
        assertNull(t.get("u3"));
        assertEquals(2, t.size());
        assertEquals(1, metrics.get("table-deletes-total"));
        assertEquals(1, metrics.get("table-loaded"));
    }

    @Test
    void anEmptyTopicIsLoadedAtOnce() {
        TopicReferenceData t = table(100, 1000, false, null);
        end(0, 0);
        t.step();
        t.step();
        assertFalse(t.loading());
    }

    @Test
    void updatesAfterTheLoadAreConvertedToTheFixedTypesOrSkipped() {
        TopicReferenceData t = table(100, 1000, false, null);
        end(1, 0);
        t.step();
        add(P0, 0, "u1", "{\"tier\": \"gold\", \"limit\": 100}");
        t.step();
        t.awaitReady();
        add(P0, 1, "u2", "{\"tier\": \"silver\", \"limit\": 7.5}");
        add(P0, 2, "u3", "{\"tier\": \"tin\", \"limit\": 3}");
        add(P0, 3, "u4", "not json");
        add(P0, 4, null, "{\"tier\": \"none\"}");
        add(P1, 0, "u5", "[1, 2]");
        t.step();
        assertNull(t.get("u2"), "7.5 does not fit int64, inferred at the load");
        assertArrayEquals(new Object[] {"tin", 3L}, t.get("u3"));
        assertNull(t.get("u4"));
        assertEquals(4, metrics.get("skipped-records-total"));
    }

    @Test
    void newKeysBeyondTheBoundAreRefusedButHeldKeysStillChange() {
        TopicReferenceData t = table(2, 1000, false, null);
        end(0, 0);
        t.step();
        add(P0, 0, "u1", "{\"tier\": \"a\"}");
        add(P0, 1, "u2", "{\"tier\": \"b\"}");
        add(P0, 2, "u3", "{\"tier\": \"c\"}");
        add(P0, 3, "u1", "{\"tier\": \"a2\"}");
        t.step();
        assertNull(t.get("u3"));
        assertEquals("a2", t.get("u1")[0]);
        assertEquals(1, metrics.get("rejected-entries-total"));
        add(P0, 4, "u2", null);
        add(P0, 5, "u3", "{\"tier\": \"c\"}");
        t.step();
        assertEquals("c", t.get("u3")[0], "a delete makes room");
    }

    @Test
    void structValuesAreReadByFieldName() {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 1L));
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        data = new TopicReferenceData(TOPIC, consumer, new StringConverter(), json, new Columns(List.of("tier",
            "limit"), Map.of("limit", FieldType.INT32), false, "", "", Map.of()), 10, 1000, false, time, metrics);
        data.step();
        add(P0, 0, "u1", "{\"schema\": {\"type\": \"struct\", \"fields\": [{\"field\": \"tier\", \"type\": "
            + "\"string\"}, {\"field\": \"limit\", \"type\": \"int64\"}]}, \"payload\": {\"tier\": \"gold\", "
            + "\"limit\": 9}}");
        data.step();
        data.awaitReady();
        assertArrayEquals(new Object[] {"gold", 9}, data.get("u1"));
    }

    @Test
    void aPartitionAddedLaterIsReadFromTheBeginning() {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));
        data = new TopicReferenceData(TOPIC, consumer, new StringConverter(), new StringConverter(),
            new Columns(List.of("tier"), Map.of(), false, "", "", Map.of()), 10, 1000, false, time, metrics);
        data.step();
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null),
            new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.updateEndOffsets(Map.of(P1, 1L));
        time.sleep(60_000);
        data.step();
        assertTrue(consumer.assignment().contains(P1));
    }

    @Test
    void theTaskWaitsForTheLoadDoneByTheConsumerThread() {
        TopicReferenceData t = table(100, 120_000, false, null);
        end(1, 1);
        consumer.schedulePollTask(() -> {
            add(P0, 0, "u1", "{\"tier\": \"gold\"}");
            add(P1, 0, "u2", "{\"tier\": \"silver\"}");
        });
        t.start();
        t.awaitReady();
        assertFalse(t.loading());
        assertEquals("silver", t.get("u2")[0]);
    }

    @Test
    void aLoadNotDoneInTimeFailsNamingTheTimeoutKey() {
        TopicReferenceData t = table(100, 50, false, null);
        end(5, 0);
        t.start();
        ConnectException e = assertThrows(ConnectException.class, t::awaitReady);
        assertTrue(e.getMessage().contains("lookup.topic.initial.load.timeout.ms=50")
            && e.getMessage().contains("lookup.topic.initial.load.on.timeout=proceed"), e.getMessage());
    }

    @Test
    void proceedGoesOnWithThePartLoadedAndMissesSayLoading() {
        TopicReferenceData t = table(100, 50, true, null);
        end(5, 0);
        consumer.schedulePollTask(() -> add(P0, 0, "u1", "{\"tier\": \"gold\"}"));
        t.start();
        Enrich<SinkRecord> enrich = new Enrich.Value<>();
        enrich.configure(Map.of("lookup.source", "topic", "lookup.topic", TOPIC, "lookup.topic.bootstrap.servers",
            "unused:9092", "lookup.key.field", "user_id", "lookup.fields", "tier,limit"), t);
        Map<?, ?> unknown = (Map<?, ?>) enrich.apply(new SinkRecord("e", 0, null, null, null,
            Map.of("user_id", "u9"), 0)).value();
        assertEquals("loading", unknown.get("enrich_status"));
        assertTrue(t.loading());
    }

    @Test
    void aDefaultThatDoesNotFitTheInferredTypeFailsTheTaskNamingTheKey() {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 1L));
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), false);
        data = new TopicReferenceData(TOPIC, consumer, new StringConverter(), json, new Columns(List.of("limit"),
            Map.of(), false, "", "", Map.of("limit", "none")), 10, 1000, false, time, metrics);
        data.step();
        add(P0, 0, "u1", "{\"limit\": 9}");
        data.step();
        ConnectException e = assertThrows(ConnectException.class, data::awaitReady);
        assertTrue(e.getMessage().contains("lookup.defaults") && e.getMessage().contains("'none' is not int64"),
            e.getMessage());
    }

    @Test
    void closeStopsTheThreadAndClosesTheConsumer() {
        TopicReferenceData t = table(100, 1000, false, null);
        end(0, 0);
        t.start();
        t.awaitReady();
        t.close();
        data = null;
        assertTrue(consumer.closed());
    }

    @Test
    void theTableIsUsedByEnrichForStructValues() {
        TopicReferenceData t = table(100, 1000, false, "standard");
        end(1, 0);
        t.step();
        add(P0, 0, "u1", "{\"tier\": \"gold\", \"limit\": 100}");
        t.step();
        Enrich<SinkRecord> enrich = new Enrich.Value<>();
        enrich.configure(Map.of("lookup.source", "topic", "lookup.topic", TOPIC, "lookup.topic.bootstrap.servers",
            "unused:9092", "lookup.key.field", "user_id", "lookup.fields", "tier,limit", "lookup.defaults",
            "tier:standard"), t);
        Struct in = new Struct(org.apache.kafka.connect.data.SchemaBuilder.struct()
            .field("user_id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build()).put("user_id", "u1");
        Struct hit = (Struct) enrich.apply(new SinkRecord("e", 0, null, null, in.schema(), in, 0)).value();
        assertEquals("gold", hit.get("tier"));
        assertEquals(100L, hit.get("limit"));
        Struct miss = (Struct) enrich.apply(new SinkRecord("e", 0, null, null, in.schema(),
            new Struct(in.schema()).put("user_id", "u7"), 0)).value();
        assertEquals("standard", miss.get("tier"));
        assertEquals("miss", miss.get("enrich_status"));
    }
}
