package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.FraudFlagTest.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;

/**
 * {@code state.scope=partition}: one set of rule state per input partition, so a record's verdict depends on its
 * partition's records and the reports, not on which task judges which partitions. Each stream here has users of
 * their own per partition and merchants shared by all, and partitions 2 and 3 pay a hundred times what 0 and 1 pay, so
 * state shared across partitions (merchant shares, the amount quantile, learned weights) changes verdicts.
 */
class FraudFlagScopeTest {

    private static final String TOPIC = "transactions";
    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 500;

    private static Struct charge(int p, long n) {
        Random r = new Random(p * 1_000_003L + n);
        int card = p * 8 + r.nextInt(8);
        long time = n * 60_000L + r.nextInt(50_000);
        int base = p >= 2 ? 4000 : 40;
        String amount = r.nextInt(40) == 0 ? Integer.toString(base * 20) : Integer.toString(base / 4 + r.nextInt(base));
        return tx(time, amount + ".00").put("user_id", "u" + card).put("card_id", "c" + card)
            .put("merchant_id", "m" + r.nextInt(6)).put("device_id", "d" + card);
    }

    /** A report for every twentieth charge at merchant m1, a day later. */
    private static List<Map<String, Object>> reports() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (long n = 0; n < PER_PARTITION; n += 7) {
                Struct c = charge(p, n);
                if (c.getString("merchant_id").equals("m1")) {
                    java.util.Date t = (java.util.Date) c.get("event_time");
                    out.add(Map.of("event_time", t, "reported_time", new java.util.Date(t.getTime() + 3_600_000L),
                        "user_id", c.getString("user_id"), "card_id", c.getString("card_id"), "merchant_id", "m1"));
                }
            }
        }
        return out;
    }

    private static SinkRecord sinkRecord(int p, long n) {
        Struct v = charge(p, n);
        return new SinkRecord(TOPIC, p, Schema.STRING_SCHEMA, v.getString("user_id"), v.schema(), v, n);
    }

    private static SourceRecord sourceRecord(int p, long n) {
        Struct v = charge(p, n);
        return new SourceRecord(Collections.singletonMap("lane", p), Map.of("step", n), TOPIC, null,
            Schema.STRING_SCHEMA, v.getString("user_id"), v.schema(), v);
    }

    private static Map<String, String> settings(String scope) {
        Map<String, String> c = new HashMap<>();
        c.put("state.scope", scope);
        c.put("feedback.topic", "fraud-reports");
        c.put("amount.outlier.min.amounts", "50");
        c.put("amount.outlier.quantile", "0.95");
        c.put("repeating.merchant.min.repeats", "2");
        return c;
    }

    /**
     * Judges the partitions {@code owned} interleaved record by record, as one task reading them would, every report
     * offered first (each counts from its reported time on); returns partition@n -> {flag, score, reasons}.
     */
    private static <R extends ConnectRecord<R>> Map<String, List<Object>> task(Map<String, String> settings,
        List<Integer> owned, java.util.function.BiFunction<Integer, Long, R> record, List<Map<String, Object>> reports) {
        Map<String, List<Object>> out = new HashMap<>();
        try (FraudFlag.Value<R> smt = new FraudFlag.Value<>()) {
            smt.configure(settings);
            reports.forEach(smt::offerReport);
            for (long n = 0; n < PER_PARTITION; n++) {
                for (int p : owned) {
                    Struct v = (Struct) smt.apply(record.apply(p, n)).value();
                    out.put(p + "@" + n, List.of(v.getBoolean("fraud_flagged"), v.getFloat64("fraud_score"),
                        List.copyOf(v.getArray("fraud_reasons"))));
                }
            }
        }
        return out;
    }

    private static <R extends ConnectRecord<R>> long differences(String scope,
        java.util.function.BiFunction<Integer, Long, R> record) {
        List<Map<String, Object>> reports = reports();
        Map<String, List<Object>> one = task(settings(scope), List.of(0, 1, 2, 3), record, reports);
        Map<String, List<Object>> three = new HashMap<>();
        three.putAll(task(settings(scope), List.of(0, 2), record, reports));
        three.putAll(task(settings(scope), List.of(1), record, reports));
        three.putAll(task(settings(scope), List.of(3), record, reports));
        assertEquals(one.keySet(), three.keySet());
        assertTrue(one.values().stream().anyMatch(v -> (Boolean) v.get(0)), "the stream has flags to get wrong");
        return one.keySet().stream().filter(k -> !one.get(k).equals(three.get(k))).count();
    }

    /**
     * Sequence: four partitions of a sink topic are judged (1) by one task reading all four interleaved, and (2) by
     * three tasks owning {0, 2}, {1} and {3}. In partition scope every record's flag, score and reasons are the same
     * in both layouts.
     */
    @Test
    void aSinkRecordsVerdictDoesNotDependOnWhichTaskOwnsItsPartition() {
        assertEquals(0, differences("partition", FraudFlagScopeTest::sinkRecord));
    }

    /** The same for a source connector's records, whose partition is their source partition (the generator's lane). */
    @Test
    void aSourceRecordsVerdictDoesNotDependOnWhichTaskOwnsItsSourcePartition() {
        assertEquals(0, differences("partition", FraudFlagScopeTest::sourceRecord));
    }

    /** The tests above can fail: in task scope the same layouts give different verdicts on these streams. */
    @Test
    void inTaskScopeTheVerdictsDependOnTheLayout() {
        assertNotEquals(0, differences("task", FraudFlagScopeTest::sinkRecord));
        assertNotEquals(0, differences("task", FraudFlagScopeTest::sourceRecord));
    }

    @Test
    void aJudgedSourceRecordCarriesItsPartitionInAHeader() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(settings("partition"));
            Header h = smt.apply(sourceRecord(2, 0)).headers().lastWithName(FraudFlag.PARTITION_HEADER);
            assertNotNull(h);
            assertEquals("lane=2", h.value());
            assertEquals(1, smt.counters().get("state-partitions"));
        }
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(settings("task"));
            assertEquals(null, smt.apply(sourceRecord(2, 0)).headers().lastWithName(FraudFlag.PARTITION_HEADER));
        }
    }

    @Test
    void aSourcePartitionsLabelIsItsSortedEntries() {
        Map<String, Object> p = new HashMap<>();
        p.put("lane", 3);
        p.put("a", "x");
        assertEquals("a=x,lane=3", PartitionDetectors.label(p));
    }

    @Test
    void aBadScopeIsRefusedNamingTheKey() {
        org.apache.kafka.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.apache.kafka.common.config.ConfigException.class,
            () -> new FraudFlagConfig(Map.of("state.scope", "worker")));
        assertTrue(e.getMessage().contains("state.scope") && e.getMessage().contains("worker"), e.getMessage());
    }

    // ---- restore on meeting a partition ----

    /** Offset-ordered landed records of one topic as a MockConsumer serves them (values JSON, headers as Connect's). */
    private static FraudFlag.Value<SinkRecord> sinkWithRestore(List<ConsumerRecord<byte[], byte[]>> landed) {
        return new FraudFlag.Value<>() {
            @Override
            Consumer<byte[], byte[]> restoreConsumer() {
                return mock(landed);
            }
        };
    }

    private static MockConsumer<byte[], byte[]> mock(List<ConsumerRecord<byte[], byte[]>> landed) {
        MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        List<PartitionInfo> infos = new ArrayList<>();
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            infos.add(new PartitionInfo(TOPIC, p, Node.noNode(), null, null));
            begin.put(new TopicPartition(TOPIC, p), 0L);
            end.put(new TopicPartition(TOPIC, p), 0L);
        }
        for (ConsumerRecord<byte[], byte[]> r : landed) {
            end.merge(new TopicPartition(TOPIC, r.partition()), r.offset() + 1, Math::max);
        }
        mock.updatePartitions(TOPIC, infos);
        mock.updateBeginningOffsets(begin);
        mock.updateEndOffsets(end);
        mock.schedulePollTask(() -> {
            for (ConsumerRecord<byte[], byte[]> r : landed) {
                if (mock.assignment().contains(new TopicPartition(TOPIC, r.partition()))) {
                    mock.addRecord(r);
                }
            }
        });
        return mock;
    }

    private static byte[] json(Struct value) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        return json.fromConnectData(TOPIC, value.schema(), value);
    }

    /** The settings without a reports topic: a restore needs bootstrap servers, which would start a reports consumer. */
    private static Map<String, String> withoutReports(String scope) {
        Map<String, String> c = settings(scope);
        c.remove("feedback.topic");
        return c;
    }

    private static Map<String, String> restoring(String scope) {
        Map<String, String> c = withoutReports(scope);
        c.put("state.restore.topic", TOPIC);
        c.put("feedback.bootstrap.servers", "unused:9092");
        return c;
    }

    private static List<Object> verdict(ConnectRecord<?> out) {
        Struct v = (Struct) out.value();
        return List.of(v.getBoolean("fraud_flagged"), v.getFloat64("fraud_score"),
            List.copyOf(v.getArray("fraud_reasons")));
    }

    /**
     * A sink task that is handed a partition mid-stream (a rebalance, a restart) restores the partition's state from
     * the partition's own records before the first one it is handed. Sequence: task A judges partitions 0-3
     * interleaved up to record 300 of each, and is revoked; task B, in partition scope with the restore topic set to
     * the sink's topic, is handed partition 0 at offset 300 (its consumer resumes at the committed offset), restores
     * offsets 0-299 of partition 0 from the topic (and nothing of partitions 1-3, which other tasks own now), and
     * judges 300-499: every verdict is the one task A, never revoked, gives them. Without the restore (state.restore.topic
     * empty) the same task B gives other verdicts.
     */
    @Test
    void aSinkTaskHandedAPartitionMidStreamRestoresItFromThePartition() {
        Map<String, List<Object>> whole = task(withoutReports("partition"), List.of(0, 1, 2, 3),
            FraudFlagScopeTest::sinkRecord, List.of());
        List<ConsumerRecord<byte[], byte[]>> landed = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (long n = 0; n < PER_PARTITION; n++) {
                landed.add(new ConsumerRecord<>(TOPIC, p, n, null, json(charge(p, n))));
            }
        }
        Function<Map<String, String>, Long> handedMidStream = s -> {
            long differ = 0;
            try (FraudFlag.Value<SinkRecord> b = sinkWithRestore(landed)) {
                b.configure(s);
                for (long n = 300; n < PER_PARTITION; n++) {
                    if (!verdict(b.apply(sinkRecord(0, n))).equals(whole.get("0@" + n))) {
                        differ++;
                    }
                }
                if (s.containsKey("state.restore.topic")) {
                    assertEquals(300, b.counters().get("records-restored-total"));
                }
            }
            return differ;
        };
        assertEquals(0L, handedMidStream.apply(restoring("partition")));
        assertNotEquals(0L, handedMidStream.apply(withoutReports("partition")));
    }

    /**
     * A sink partition that comes back to a task after another task judged part of it catches up on what it missed.
     * Sequence: task A judges partition 0's offsets 0-199 (and partitions 1-3 beside it); a rebalance hands partition
     * 0 to task B, which restores 0-199 from the partition and judges 200-349; a second rebalance hands it back to
     * task A at offset 350, whose state for the partition ends at 199: A reads 200-349 from the partition and judges
     * them into that state, then judges 350-499, each with the verdict of a task that owned the partition throughout.
     */
    @Test
    void aSinkPartitionThatComesBackCatchesUpOnWhatAnotherTaskJudged() {
        Map<String, List<Object>> whole = task(withoutReports("partition"), List.of(0, 1, 2, 3),
            FraudFlagScopeTest::sinkRecord, List.of());
        List<ConsumerRecord<byte[], byte[]>> landed = new ArrayList<>();
        for (long n = 0; n < PER_PARTITION; n++) {
            landed.add(new ConsumerRecord<>(TOPIC, 0, n, null, json(charge(0, n))));
        }
        long differ = 0;
        try (FraudFlag.Value<SinkRecord> a = sinkWithRestore(landed);
             FraudFlag.Value<SinkRecord> b = sinkWithRestore(landed)) {
            a.configure(restoring("partition"));
            b.configure(restoring("partition"));
            for (long n = 0; n < 200; n++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    a.apply(sinkRecord(p, n));
                }
            }
            for (long n = 200; n < 350; n++) {
                b.apply(sinkRecord(0, n));
            }
            for (long n = 350; n < PER_PARTITION; n++) {
                if (!verdict(a.apply(sinkRecord(0, n))).equals(whole.get("0@" + n))) {
                    differ++;
                }
            }
            assertEquals(0, differ, "partition 0's verdicts after it came back");
            assertEquals(150, a.counters().get("records-restored-total"), "offsets 200-349, read on its return");
        }
    }

    /**
     * A source task that restarts restores each source partition's state from the records of the restore topic that
     * carry the partition's header. Sequence: task A (partition scope) judges lanes 0 and 2 interleaved up to record
     * 300 of each, its output lands in the topic with the partition header (as the worker's SimpleHeaderConverter
     * writes it), and it stops; task B starts with the restore topic set, meets lane 0 first and restores the lane-0
     * records only, then judges lane 0's records 300-499: each gets task A's verdict had it never stopped. Restoring
     * every record of the topic into lane 0's state (lane 2 pays a hundred times as much) would give other verdicts.
     */
    @Test
    void aRestartedSourceTaskRestoresEachSourcePartitionFromItsOwnRecords() {
        Map<String, List<Object>> whole = task(withoutReports("partition"), List.of(0, 2),
            FraudFlagScopeTest::sourceRecord, List.of());
        List<ConsumerRecord<byte[], byte[]>> landed = new ArrayList<>();
        SimpleHeaderConverter headers = new SimpleHeaderConverter();
        try (FraudFlag.Value<SourceRecord> a = new FraudFlag.Value<>()) {
            a.configure(withoutReports("partition"));
            long offset = 0;
            for (long n = 0; n < 300; n++) {
                for (int p : List.of(0, 2)) {
                    SourceRecord out = a.apply(sourceRecord(p, n));
                    Header h = out.headers().lastWithName(FraudFlag.PARTITION_HEADER);
                    RecordHeaders kafkaHeaders = new RecordHeaders();
                    kafkaHeaders.add(h.key(), headers.fromConnectHeader(TOPIC, h.key(), h.schema(), h.value()));
                    landed.add(new ConsumerRecord<>(TOPIC, 0, offset++, 0L, TimestampType.CREATE_TIME, 0, 0, null,
                        json((Struct) out.value()), kafkaHeaders, Optional.empty()));
                }
            }
        }
        long differ = 0;
        try (FraudFlag.Value<SourceRecord> b = new FraudFlag.Value<>() {
            @Override
            Consumer<byte[], byte[]> restoreConsumer() {
                return mock(landed);
            }
        }) {
            b.configure(restoring("partition"));
            for (long n = 300; n < PER_PARTITION; n++) {
                if (!verdict(b.apply(sourceRecord(0, n))).equals(whole.get("0@" + n))) {
                    differ++;
                }
            }
            assertEquals(0, differ, "lane 0's verdicts after the restart");
            assertEquals(300, b.counters().get("records-restored-total"), "lane 0's records only");
        }
    }
}
