package io.eventlake.transforms.fraud.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import io.eventlake.transforms.util.FieldPath;

class FeedbackConsumerTest {

    private static final String TOPIC = "fraud-reports";

    private static byte[] report(long eventTime, long reportedTime, String merchant) {
        String json = "{\"schema\":null,\"payload\":{\"event_time\":" + eventTime + ",\"reported_time\":" + reportedTime
            + ",\"merchant_id\":\"" + merchant + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static ReportInbox inbox(int capacity) {
        return new ReportInbox(new ReportParser(FieldPath.parse("event_time"), FieldPath.parse("reported_time"),
            null, null, FieldPath.parse("merchant_id")), capacity);
    }

    private static JsonConverter json() {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), false);
        return c;
    }

    /** Waits on a condition with a generous deadline; no timing assertion. */
    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void readsEveryPartitionFromTheBeginningAndCatchesUp() throws Exception {
        MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        mock.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null),
            new PartitionInfo(TOPIC, 1, Node.noNode(), null, null)));
        Map<TopicPartition, Long> begin = new HashMap<>(Map.of(p0, 0L, p1, 0L));
        mock.updateBeginningOffsets(begin);
        mock.updateEndOffsets(Map.of(p0, 2L, p1, 1L));
        mock.schedulePollTask(() -> {
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, null, report(1, 10, "m1")));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, null, report(2, 20, "m2")));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, null, report(3, 30, "m3")));
        });
        ReportInbox inbox = inbox(100);
        FeedbackConsumer consumer = new FeedbackConsumer(mock, json(), TOPIC, inbox, 60_000, "test-feedback").start();
        try {
            assertTrue(consumer.awaitCaughtUp(30_000), "caught up with the end offsets found at start");
            List<Report> got = new ArrayList<>();
            inbox.drainTo(got::add);
            assertEquals(List.of("m1", "m2", "m3"), got.stream().map(r -> (String) r.merchant()).sorted().toList());
            assertEquals(10, got.stream().filter(r -> "m1".equals(r.merchant())).findFirst().orElseThrow()
                .reportedTimeMs());
            assertEquals(java.util.Set.of(p0, p1), mock.assignment());
        } finally {
            consumer.close();
        }
        assertTrue(mock.closed(), "close() closes the consumer");
    }

    /** A full inbox holds the consumer back (bounded memory) until the task drains it; nothing is dropped. */
    @Test
    void aFullInboxHoldsTheConsumerBackWithoutDroppingReports() throws Exception {
        MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        mock.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null)));
        mock.updateBeginningOffsets(Map.of(p0, 0L));
        mock.updateEndOffsets(Map.of(p0, 5L));
        mock.schedulePollTask(() -> {
            for (int i = 0; i < 5; i++) {
                mock.addRecord(new ConsumerRecord<>(TOPIC, 0, i, null, report(i, i, "m" + i)));
            }
        });
        ReportInbox inbox = inbox(2);
        FeedbackConsumer consumer = new FeedbackConsumer(mock, json(), TOPIC, inbox, 60_000, "test-feedback").start();
        try {
            await(() -> inbox.accepted() == 2, "the inbox to fill");
            assertFalse(consumer.caughtUp(), "held back by the full inbox");
            List<Report> got = new ArrayList<>();
            while (got.size() < 5) {
                inbox.drainTo(got::add);
                Thread.sleep(5);
                if (got.size() < 5) {
                    await(() -> !inbox.isEmpty() || inbox.accepted() == 5, "more reports");
                }
            }
            assertEquals(5, got.size());
            assertTrue(consumer.awaitCaughtUp(30_000));
        } finally {
            consumer.close();
        }
    }

    @Test
    void waitsForATopicThatDoesNotExistYetAndClosesCleanly() throws Exception {
        MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        FeedbackConsumer consumer = new FeedbackConsumer(mock, json(), TOPIC, inbox(10), 60_000, "test-feedback")
            .start();
        assertFalse(consumer.awaitCaughtUp(100));
        consumer.close();
        assertTrue(mock.closed());
    }

    /**
     * Bad reports from anyone who can write to the topic are skipped and counted, never fatal. Sequence: offset 0 a
     * good report; offset 1 bytes that are not JSON (the converter throws); offset 2 JSON without the reported time;
     * offset 3 JSON whose value is a bare string (the parser cannot read fields of it); offset 4 a good report. The
     * consumer reads on past all three, catches up, queues the two good reports and counts three skipped (one of them
     * undecodable: before the fix it stopped the consumer, after which every apply threw).
     */
    @Test
    void malformedReportsAreSkippedAndCountedAndTheConsumerReadsOn() throws Exception {
        MockConsumer<byte[], byte[]> mock = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        mock.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), null, null)));
        mock.updateBeginningOffsets(new HashMap<>(Map.of(p0, 0L)));
        mock.updateEndOffsets(Map.of(p0, 5L));
        mock.schedulePollTask(() -> {
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, null, report(1, 10, "m1")));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, null, "{not json".getBytes(StandardCharsets.UTF_8)));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, null,
                "{\"schema\":null,\"payload\":{\"event_time\":5}}".getBytes(StandardCharsets.UTF_8)));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 3, null,
                "{\"schema\":null,\"payload\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
            mock.addRecord(new ConsumerRecord<>(TOPIC, 0, 4, null, report(2, 20, "m2")));
        });
        ReportInbox inbox = inbox(100);
        FeedbackConsumer consumer = new FeedbackConsumer(mock, json(), TOPIC, inbox, 60_000, "test-feedback").start();
        try {
            assertTrue(consumer.awaitCaughtUp(30_000), "caught up past the bad reports");
            assertEquals(null, consumer.failure());
            List<Report> got = new ArrayList<>();
            inbox.drainTo(got::add);
            assertEquals(List.of("m1", "m2"), got.stream().map(r -> (String) r.merchant()).toList());
            assertEquals(3, inbox.refused());
        } finally {
            consumer.close();
        }
    }
}
