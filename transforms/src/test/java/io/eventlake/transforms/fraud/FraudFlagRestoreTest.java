package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * A task that restarts rebuilds its state from the topic its output landed in, and then judges as a task that never
 * stopped.
 */
class FraudFlagRestoreTest {

    private static final String TOPIC = "tx";

    private static Map<String, String> settings() {
        Map<String, String> c = new HashMap<>();
        c.put("state.restore.topic", TOPIC);
        c.put("feedback.bootstrap.servers", "unused:9092");
        return c;
    }

    /** FraudFlag whose restore consumer is a MockConsumer over {@code landed}, of which the first {@code end} count. */
    private static FraudFlag.Value<SourceRecord> restarted(List<Struct> landed, long end) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        List<byte[]> bytes = new ArrayList<>();
        for (Struct s : landed) {
            bytes.add(json.fromConnectData(TOPIC, s.schema(), s));
        }
        return new FraudFlag.Value<>() {
            @Override
            Consumer<byte[], byte[]> restoreConsumer() {
                MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
                TopicPartition p0 = new TopicPartition(TOPIC, 0);
                mock.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null)));
                mock.updateBeginningOffsets(new HashMap<>(Map.of(p0, 0L)));
                mock.updateEndOffsets(Map.of(p0, end));
                mock.schedulePollTask(() -> {
                    for (int i = 0; i < bytes.size(); i++) {
                        mock.addRecord(new ConsumerRecord<>(TOPIC, 0, i, null, bytes.get(i)));
                    }
                });
                return mock;
            }
        };
    }

    private static Struct judge(FraudFlag.Value<SourceRecord> smt, Struct tx) {
        return (Struct) smt.apply(FraudFlagTest.record(tx)).value();
    }

    /**
     * Sequence: an uninterrupted task judges four charges on card c1 a minute apart; the fourth is the fourth in 10
     * minutes, so velocity flags it. A second task judges the first three, lands them, and stops. A new task starts:
     * its restore topic holds the three landed records, and one more written after the restore found the end (by
     * another task) that must not count. It judges the fourth charge exactly as the uninterrupted task did.
     */
    @Test
    void aRestartedTaskJudgesAsIfItHadNeverStopped() {
        List<Struct> charges = List.of(FraudFlagTest.tx(0, "10.00"), FraudFlagTest.tx(MIN, "10.00"),
            FraudFlagTest.tx(2 * MIN, "10.00"), FraudFlagTest.tx(3 * MIN, "10.00"));
        Struct uninterrupted;
        List<Struct> landed = new ArrayList<>();
        try (FraudFlag.Value<SourceRecord> whole = new FraudFlag.Value<>()) {
            whole.configure(Map.of());
            for (int i = 0; i < 3; i++) {
                landed.add(judge(whole, charges.get(i)));
            }
            uninterrupted = judge(whole, charges.get(3));
        }
        assertTrue(uninterrupted.getBoolean("fraud_flagged"));
        assertTrue(uninterrupted.getArray("fraud_reasons").contains("velocity"), uninterrupted.toString());

        // Written after the restore read the end offsets: a later charge that must not be in the restored state.
        landed.add(FraudFlagTest.tx(4 * MIN, "10.00"));
        try (FraudFlag.Value<SourceRecord> smt = restarted(landed, 3)) {
            smt.configure(settings());
            Struct again = judge(smt, charges.get(3));
            assertEquals(uninterrupted.getBoolean("fraud_flagged"), again.getBoolean("fraud_flagged"));
            assertEquals(uninterrupted.getFloat64("fraud_score"), again.getFloat64("fraud_score"));
            assertEquals(uninterrupted.getArray("fraud_reasons"), again.getArray("fraud_reasons"));
            assertEquals(3, smt.counters().get("records-restored-total"));
            assertEquals(1, smt.counters().get("records-judged-total"), "restored records are not counted as judged");
        }

        // Without a restore the same task starts cold and misses it.
        try (FraudFlag.Value<SourceRecord> cold = new FraudFlag.Value<>()) {
            cold.configure(Map.of());
            assertFalse(judge(cold, charges.get(3)).getBoolean("fraud_flagged"));
        }
    }

    @Test
    void aRestoreTopicNeedsTheFeedbackBootstrapServers() {
        org.apache.kafka.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.apache.kafka.common.config.ConfigException.class,
            () -> new FraudFlagConfig(Map.of("state.restore.topic", TOPIC)));
        assertTrue(e.getMessage().contains("state.restore.topic") && e.getMessage().contains(
            "feedback.bootstrap.servers"), e.getMessage());
    }

    @Test
    void theSkippedReportsGaugeReadsZeroWhenNoReportsAreRead() {
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(Map.of());
            assertEquals(0, smt.counters().get("fraud-reports-skipped-total"));
        }
    }
}
