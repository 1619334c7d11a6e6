package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;


/**
 * The generator's scenarios on a real worker (plugin from the zip, exactly-once source support required), read back
 * from Kafka as the worker's converter wrote them: each scenario's schema and stories, the transactions' labelled
 * fraud patterns and their reports, and resumption across a restart and a {@code tasks.max} change. The generator's
 * classes are not on this JVM's classpath (the worker loads them from the zip), so every check reads the records
 * alone: event ids carry their sequence number in their low 56 bits, which is how gaps and duplicates are found.
 */
class GeneratorScenariosIT extends StackIT {

    static final String GENERATOR = "io.eventlake.connect.source.generator.EventGeneratorSourceConnector";

    /** Runs a generator to the end of max.events and returns the committed records of its topic. */
    private static List<SchemaAndValue[]> generate(String name, String topic, int events, Map<String, String> extra)
        throws Exception {
        stack.createTopic(topic, 3);
        Map<String, String> config = new HashMap<>(extra);
        config.put("connector.class", GENERATOR);
        config.put("tasks.max", "2");
        config.put("topic", topic);
        config.put("events.per.second", "0");
        config.put("max.events", Integer.toString(events));
        config.put("exactly.once.support", "required");
        stack.connect().putConfig(name, config);
        PluginZipPipelineIT.await(120, name + " to emit " + events, () -> {
            String failure = stack.connect().failure(name);
            if (failure != null) {
                throw new AssertionError(failure);
            }
            return steps(name) >= events;
        });
        return read(topic);
    }

    private static long steps(String connector) throws Exception {
        long steps = 0;
        for (Map<String, Object> offset : stack.connect().sourceOffsets(connector)) {
            if (offset != null && offset.get("step") instanceof Number n) {
                steps += n.longValue();
            }
        }
        return steps;
    }

    /** Key and value of every committed record, decoded by the worker's converter; in order within a partition. */
    private static List<SchemaAndValue[]> read(String topic) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        JsonConverter values = Topics.valueConverter();
        List<SchemaAndValue[]> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), topic)) {
            out.add(new SchemaAndValue[] {keys.toConnectData(topic, r.key()), values.toConnectData(topic, r.value())});
        }
        return out;
    }

    private static Struct value(SchemaAndValue[] record) {
        return (Struct) record[1].value();
    }

    /** The sequence number in an event id: its low 56 bits. */
    private static long sequence(String id) {
        return UUID.fromString(id).getLeastSignificantBits() & ((1L << 56) - 1);
    }

    private static void assertSequencesAreExactly(int events, List<String> ids) {
        TreeSet<Long> sequences = new TreeSet<>();
        for (String id : ids) {
            assertTrue(sequences.add(sequence(id)), "sequence " + sequence(id) + " twice");
        }
        assertEquals(events, sequences.size());
        assertEquals(0L, sequences.first());
        assertEquals(events - 1L, sequences.last(), "no gap: 0.." + (events - 1));
    }

    private static void assertFields(Schema schema, String name, String... fields) {
        assertEquals(name, schema.name());
        assertEquals(List.of(fields), schema.fields().stream().map(Field::name).toList());
    }

    @Test
    void clickstreamSessionsLandWithTheirSchemaAndPageOrder() throws Exception {
        List<SchemaAndValue[]> records = generate("it-clicks", "it-clickstream", 3000, Map.of("scenario",
            "clickstream"));
        assertFields(records.get(0)[1].schema(), "io.eventlake.PageView", "event_id", "event_time", "session_id",
            "user_id", "page_url", "referrer", "user_agent", "device_type", "page_index", "dwell_ms");
        assertEquals("org.apache.kafka.connect.data.Timestamp", records.get(0)[1].schema().field("event_time").schema()
            .name());
        Map<String, Struct> last = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (SchemaAndValue[] r : records) {
            Struct v = value(r);
            ids.add(v.getString("event_id"));
            assertEquals(v.getString("user_id"), r[0].value(), "keyed by user");
            Struct previous = last.put(v.getString("session_id"), v);
            if (previous != null) {
                // One session is one user, so one partition, in order.
                assertEquals(previous.getInt32("page_index") + 1, v.getInt32("page_index"));
                assertEquals(previous.getString("page_url"), v.getString("referrer"));
            }
        }
        assertSequencesAreExactly(3000, ids);
    }

    @Test
    void cartPurchasesFollowTheirCheckoutWithTheSameTotal() throws Exception {
        List<SchemaAndValue[]> records = generate("it-cart", "it-cart", 3000, Map.of("scenario", "cart"));
        assertFields(records.get(0)[1].schema(), "io.eventlake.CartEvent", "event_id", "event_time", "user_id",
            "session_id", "event_type", "product_id", "category", "quantity", "unit_price", "amount", "currency",
            "order_id");
        assertEquals("org.apache.kafka.connect.data.Decimal", records.get(0)[1].schema().field("amount").schema()
            .name());
        Map<String, BigDecimal> checkouts = new HashMap<>();
        int purchases = 0;
        for (SchemaAndValue[] r : records) {
            Struct v = value(r);
            if ("checkout".equals(v.getString("event_type"))) {
                checkouts.put(v.getString("order_id"), (BigDecimal) v.get("amount"));
            } else if ("purchase".equals(v.getString("event_type"))) {
                assertEquals(checkouts.get(v.getString("order_id")), v.get("amount"));
                purchases++;
            }
        }
        assertTrue(purchases > 20, "purchases " + purchases);
        assertSequencesAreExactly(3000, records.stream().map(r -> value(r).getString("event_id")).toList());
    }

    @Test
    void sensorReadingsCarryTheUnitOfTheirType() throws Exception {
        List<SchemaAndValue[]> records = generate("it-sensors", "it-sensors", 2000, Map.of("scenario", "sensors"));
        assertFields(records.get(0)[1].schema(), "io.eventlake.SensorReading", "event_id", "event_time", "device_id",
            "site_id", "sensor_type", "value", "unit", "battery_pct", "firmware");
        Map<String, String> units = Map.of("temperature", "celsius", "humidity", "percent", "pressure", "hpa",
            "vibration", "mm_per_s", "co2", "ppm");
        for (SchemaAndValue[] r : records) {
            Struct v = value(r);
            assertEquals(units.get(v.getString("sensor_type")), v.getString("unit"));
            assertEquals(v.getString("device_id"), r[0].value());
        }
        assertSequencesAreExactly(2000, records.stream().map(r -> value(r).getString("event_id")).toList());
    }

    /**
     * 20,000 transactions of 200 card holders (so each has a history), 1 % of each fraud pattern, every fraud
     * reported. Each labelled fraud is checked against what defines its pattern, from the records alone.
     */
    @Test
    void transactionsCarryTheirLabelledPatternsAndTheirReports() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("scenario", "transactions");
        config.put("users", "200");
        config.put("late.events.share", "0");
        config.put("fraud.reports.topic", "it-fraud-reports");
        config.put("fraud.reports.share", "1");
        for (String p : List.of("high_amount", "burst", "impossible_travel", "card_testing", "new_device_high_amount",
            "compromised_merchant")) {
            config.put("fraud.share." + p, "0.01");
        }
        stack.createTopic("it-fraud-reports", 3);
        List<SchemaAndValue[]> records = generate("it-transactions", "it-transactions", 20_000, config);
        assertFields(records.get(0)[1].schema(), "io.eventlake.LabelledTransaction", "transaction_id", "event_time",
            "user_id", "card_id", "merchant_id", "merchant_category", "amount", "currency", "country", "latitude",
            "longitude", "device_id", "channel", "fraud_label", "fraud_pattern");

        Map<String, List<Struct>> byCard = new HashMap<>();
        Map<String, Set<String>> legitDevices = new HashMap<>();
        Map<String, List<BigDecimal>> legitAmounts = new HashMap<>();
        Map<String, Struct> frauds = new HashMap<>();
        Map<String, Integer> perPattern = new HashMap<>();
        for (SchemaAndValue[] r : records) {
            Struct v = value(r);
            assertEquals(v.getString("user_id"), r[0].value());
            assertEquals(v.getBoolean("fraud_label"), v.getString("fraud_pattern") != null);
            byCard.computeIfAbsent(v.getString("card_id"), c -> new ArrayList<>()).add(v);
            if (v.getBoolean("fraud_label")) {
                frauds.put(v.getString("transaction_id"), v);
                perPattern.merge(v.getString("fraud_pattern"), 1, Integer::sum);
            } else {
                legitAmounts.computeIfAbsent(v.getString("user_id"), u -> new ArrayList<>())
                    .add((BigDecimal) v.get("amount"));
                if (v.getString("device_id") != null) {
                    legitDevices.computeIfAbsent(v.getString("user_id"), u -> new HashSet<>())
                        .add(v.getString("device_id"));
                }
            }
        }
        assertEquals(Set.of("high_amount", "burst", "impossible_travel", "card_testing", "new_device_high_amount",
            "compromised_merchant"), perPattern.keySet());
        perPattern.forEach((p, n) -> assertTrue(n > 100 && n < 320, p + ": " + n + " of 20,000 at 1 %"));

        int checked = 0;
        for (List<Struct> card : byCard.values()) {
            for (int i = 0; i < card.size(); i++) {
                Struct v = card.get(i);
                String pattern = v.getString("fraud_pattern");
                if (pattern == null) {
                    continue;
                }
                String user = v.getString("user_id");
                BigDecimal median = median(legitAmounts.get(user));
                BigDecimal amount = (BigDecimal) v.get("amount");
                switch (pattern) {
                    case "high_amount" -> assertTrue(amount.compareTo(median.multiply(BigDecimal.valueOf(3))) > 0,
                        amount + " vs the user's median " + median);
                    case "new_device_high_amount" -> {
                        assertFalse(legitDevices.getOrDefault(user, Set.of()).contains(v.getString("device_id")));
                        assertEquals("online", v.getString("channel"));
                    }
                    case "impossible_travel" -> {
                        // The card's last legitimate charge (another story on the same card may interleave).
                        int k = i - 1;
                        while (k >= 0 && card.get(k).getString("fraud_pattern") != null) {
                            k--;
                        }
                        assertTrue(k >= 0, "a charge at home comes first");
                        Struct before = card.get(k);
                        assertTrue(km(before, v) >= 2900, km(before, v) + " km");
                        assertTrue(((Date) v.get("event_time")).getTime() - ((Date) before.get("event_time"))
                            .getTime() < 60_000, "moments later");
                    }
                    case "compromised_merchant" -> assertTrue(card.subList(0, i).stream().anyMatch(
                        t -> t.getString("fraud_pattern") == null
                            && t.getString("merchant_id").equals(v.getString("merchant_id"))),
                        "after a legitimate purchase at the same merchant");
                    case "burst", "card_testing" -> {
                        assertEquals("online", v.getString("channel"));
                        assertFalse(legitDevices.getOrDefault(user, Set.of()).contains(v.getString("device_id"))
                            && pattern.equals("card_testing"), "card testing comes from a new device");
                    }
                    default -> throw new AssertionError("unknown pattern " + pattern);
                }
                checked++;
            }
        }
        assertEquals(frauds.size(), checked);

        List<SchemaAndValue[]> reports = read("it-fraud-reports");
        assertEquals(frauds.size(), reports.size(), "every fraud reported once at share 1");
        for (SchemaAndValue[] r : reports) {
            Struct report = value(r);
            Struct fraud = frauds.get(report.getString("transaction_id"));
            assertNotNull(fraud, "a report names a fraudulent transaction");
            assertEquals(fraud.get("amount"), report.get("amount"));
            long delay = ((Date) report.get("reported_time")).getTime() - ((Date) fraud.get("event_time")).getTime();
            assertTrue(delay >= 24 * 3_600_000L && delay <= 240 * 3_600_000L, "reported " + delay + " ms later");
        }
        assertSequencesAreExactly(20_000, records.stream().map(r -> value(r).getString("transaction_id")).toList());
    }

    /**
     * Sequence: (1) a rate-limited generator with tasks.max=2 and 8 lanes runs until it has committed part of its
     * events; (2) its config changes to tasks.max=3, so Connect stops both tasks and deals the lanes out to three;
     * (3) the connector and its tasks are restarted through the REST API; (4) it runs to max.events. The topic must
     * then hold every sequence number from 0 to max.events - 1 exactly once.
     */
    @Test
    void aRestartAndATasksMaxChangeResumeWithNoGapAndNoDuplicate() throws Exception {
        String topic = "it-resume";
        int events = 6000;
        stack.createTopic(topic, 3);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", GENERATOR);
        config.put("scenario", "cart");
        config.put("tasks.max", "2");
        config.put("sequence.lanes", "8");
        config.put("topic", topic);
        config.put("events.per.second", "1500");
        config.put("max.events", Integer.toString(events));
        config.put("exactly.once.support", "required");
        stack.connect().putConfig("it-resume", config);
        PluginZipPipelineIT.await(60, "a part committed", () -> steps("it-resume") >= 1000);
        assertTrue(steps("it-resume") < events, "the change came too late to test anything");

        config.put("tasks.max", "3");
        stack.connect().putConfig("it-resume", config);
        PluginZipPipelineIT.await(60, "3 tasks", () -> stack.connect().isRunning("it-resume", 3));
        long beforeRestart = steps("it-resume");
        stack.connect().restart("it-resume");
        PluginZipPipelineIT.await(120, "all events", () -> {
            String failure = stack.connect().failure("it-resume");
            if (failure != null) {
                throw new AssertionError(failure);
            }
            return steps("it-resume") >= events;
        });
        assertTrue(beforeRestart < events, "the restart came too late to test anything");
        assertSequencesAreExactly(events, read(topic).stream().map(r -> value(r).getString("event_id")).toList());
    }

    private static BigDecimal median(List<BigDecimal> amounts) {
        List<BigDecimal> sorted = new ArrayList<>(amounts);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static double km(Struct a, Struct b) {
        double dLat = Math.toRadians(b.getFloat64("latitude") - a.getFloat64("latitude"));
        double dLon = Math.toRadians(b.getFloat64("longitude") - a.getFloat64("longitude"));
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(a.getFloat64("latitude")))
            * Math.cos(Math.toRadians(b.getFloat64("latitude"))) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
