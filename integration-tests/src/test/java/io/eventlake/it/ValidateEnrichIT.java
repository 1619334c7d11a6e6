package io.eventlake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Validation with quarantine and enrichment from a compacted topic, on the generator's cart events, with the
 * transforms loaded from the plugin zip by a real worker: {@code validate} routes events of an unsupported currency
 * (GBP) to {@code <topic>-quarantine}; {@code strict} drops the valid ones with quantity 3; {@code enrich} joins the
 * valid ones with a user table read from a compacted topic; {@code derive} adds the Paris date and hour and a salted
 * hash of the user id. {@code strict}, {@code enrich} and {@code derive} skip quarantined records through the
 * {@code HasViolations} predicate. Every event is then read back from the two topics by its sequence number and
 * checked against the rules, the user table and the worker's metrics (JMX, KIP-877): events in = valid +
 * quarantined + dropped.
 */
class ValidateEnrichIT extends StackIT {

    private static final String GENERATOR = PluginZipPipelineIT.GENERATOR;
    private static final String TOPIC = "ve-cart";
    private static final String QUARANTINE = TOPIC + "-quarantine";
    private static final String USERS = "ve-users";
    private static final int EVENTS = 4000;
    private static final int USER_COUNT = 50;
    private static final String SALT = "it-salt";

    /**
     * The user table: users 0-39 have a tier and a credit limit, 40-49 are unknown; user-5 gets a second value
     * (the last wins) and user-7 a tombstone (deleted).
     */
    private static Map<String, Object[]> writeUserTable() throws Exception {
        try (Admin admin = stack.admin()) {
            admin.createTopics(List.of(new NewTopic(USERS, 2, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        Map<String, Object[]> expected = new HashMap<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
            new StringSerializer())) {
            for (int u = 0; u < 40; u++) {
                String tier = u % 3 == 0 ? "gold" : "silver";
                producer.send(new ProducerRecord<>(USERS, "user-" + u, "{\"tier\": \"" + tier + "\", "
                    + "\"credit_limit\": " + (u * 100) + ", \"ignored\": true}"));
                expected.put("user-" + u, new Object[] {tier, u * 100L});
            }
            producer.send(new ProducerRecord<>(USERS, "user-5", "{\"tier\": \"platinum\", \"credit_limit\": 9999}"));
            expected.put("user-5", new Object[] {"platinum", 9999L});
            producer.send(new ProducerRecord<>(USERS, "user-7", null));
            expected.remove("user-7");
            producer.flush();
        }
        return expected;
    }

    private static Map<String, String> connectorConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", GENERATOR);
        c.put("scenario", "cart");
        c.put("users", Integer.toString(USER_COUNT));
        c.put("topic", TOPIC);
        c.put("tasks.max", "2");
        c.put("events.per.second", "0");
        c.put("max.events", Integer.toString(EVENTS));
        c.put("exactly.once.support", "required");
        c.put("transforms", "validate,strict,enrich,derive");
        c.put("predicates", "invalid");
        c.put("predicates.invalid.type", "io.eventlake.transforms.predicates.HasViolations");

        c.put("transforms.validate.type", "io.eventlake.transforms.validate.Validate$Value");
        c.put("transforms.validate.required", "user_id,event_type");
        c.put("transforms.validate.formats", "event_id:uuid,currency:currency");
        c.put("transforms.validate.allowed", "currency:USD|EUR");
        c.put("transforms.validate.on.invalid", "route");

        c.put("transforms.strict.type", "io.eventlake.transforms.validate.Validate$Value");
        c.put("transforms.strict.ranges", "quantity:1:2");
        c.put("transforms.strict.on.invalid", "drop");
        c.put("transforms.strict.predicate", "invalid");
        c.put("transforms.strict.negate", "true");

        c.put("transforms.enrich.type", "io.eventlake.transforms.enrich.Enrich$Value");
        c.put("transforms.enrich.lookup.source", "topic");
        c.put("transforms.enrich.lookup.topic", USERS);
        c.put("transforms.enrich.lookup.topic.bootstrap.servers", stack.bootstrapServers());
        c.put("transforms.enrich.lookup.topic.value.converter.schemas.enable", "false");
        c.put("transforms.enrich.lookup.key.field", "user_id");
        c.put("transforms.enrich.lookup.fields", "tier,credit_limit");
        c.put("transforms.enrich.lookup.defaults", "tier:none");
        c.put("transforms.enrich.predicate", "invalid");
        c.put("transforms.enrich.negate", "true");

        c.put("transforms.derive.type", "io.eventlake.transforms.enrich.DeriveFields$Value");
        c.put("transforms.derive.zone", "Europe/Paris");
        c.put("transforms.derive.hash.fields", "user_id:user_hash");
        c.put("transforms.derive.hash.salt", SALT);
        c.put("transforms.derive.processing.time.field", "");
        c.put("transforms.derive.predicate", "invalid");
        c.put("transforms.derive.negate", "true");
        return c;
    }

    @Test
    void everyEventIsValidQuarantinedOrDroppedAndTheValidOnesAreEnriched() throws Exception {
        Map<String, Object[]> users = writeUserTable();
        stack.createTopic(TOPIC, 3);
        stack.createTopic(QUARANTINE, 2);
        stack.connect().putConfig("ve-cart", connectorConfig());
        // Not the source offsets: with exactly-once support, Connect writes a source offset only with a record it
        // sends, so a lane whose last events are dropped keeps an offset behind them.
        PluginZipPipelineIT.await(180, "the transforms to see all " + EVENTS + " events", () -> {
            String failure = stack.connect().failure("ve-cart");
            if (failure != null) {
                throw new AssertionError(failure);
            }
            return metrics("ve-cart", "validate").getOrDefault("records-total", 0L) >= EVENTS;
        });
        Map<String, Long> validate = metrics("ve-cart", "validate");
        Map<String, Long> strict = metrics("ve-cart", "strict");
        Map<String, Long> enrich = metrics("ve-cart", "enrich");
        PluginZipPipelineIT.await(60, "the topics to hold what the transforms passed on", () ->
            Topics.readAll(stack.bootstrapServers(), TOPIC).size() == strict.get("valid-total")
                && Topics.readAll(stack.bootstrapServers(), QUARANTINE).size() == validate.get("quarantined-total"));

        Set<Long> seen = new HashSet<>();
        int valid = 0;
        int hits = 0;
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), TOPIC)) {
            Struct v = value(TOPIC, r);
            assertTrue(seen.add(sequence(v)), "sequence " + sequence(v) + " twice");
            assertNull(r.headers().lastHeader("eventlake.validation.violations"));
            assertTrue(List.of("USD", "EUR").contains(v.getString("currency")), v.toString());
            Integer quantity = v.getInt32("quantity");
            assertTrue(quantity == null || quantity >= 1 && quantity <= 2, "quantity 3 is dropped: " + v);
            Object[] user = users.get(v.getString("user_id"));
            if (user != null) {
                hits++;
                assertEquals("hit", v.getString("enrich_status"));
                assertEquals(user[0], v.getString("tier"));
                assertEquals(user[1], v.getInt64("credit_limit"));
            } else {
                assertEquals("miss", v.getString("enrich_status"));
                assertEquals("none", v.getString("tier"));
                assertNull(v.get("credit_limit"));
            }
            ZonedDateTime paris = ((Date) v.get("event_time")).toInstant().atZone(ZoneId.of("Europe/Paris"));
            assertEquals(new Date(paris.toLocalDate().toEpochDay() * 86_400_000L), v.get("event_date"));
            assertEquals(paris.getHour(), v.getInt32("event_hour"));
            assertEquals(paris.getDayOfWeek().name(), v.getString("event_day_of_week"));
            assertEquals(sha256(SALT + v.getString("user_id")), v.getString("user_hash"));
            valid++;
        }

        int quarantined = 0;
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(stack.bootstrapServers(), QUARANTINE)) {
            Struct v = value(QUARANTINE, r);
            assertTrue(seen.add(sequence(v)), "sequence " + sequence(v) + " twice");
            assertEquals("GBP", v.getString("currency"), "only the currency rule can route");
            assertNull(v.schema().field("enrich_status"), "quarantined records skip the enrichment");
            assertEquals("allowed(currency): not one of USD|EUR", header(r, "eventlake.validation.violations"));
            assertEquals("1", header(r, "eventlake.validation.violation.count"));
            assertEquals("allowed:currency", header(r, "eventlake.validation.rules"));
            assertEquals(TOPIC, header(r, "eventlake.validation.original.topic"));
            quarantined++;
        }

        long dropped = EVENTS - valid - quarantined;
        for (long s = 0; s < EVENTS; s++) {
            if (!seen.contains(s)) {
                dropped--;
            }
        }
        assertEquals(0, dropped, "every sequence not in a topic is one of the dropped events");
        assertTrue(valid > 1000 && quarantined > 300, valid + " valid, " + quarantined + " quarantined");
        assertTrue(hits > 500 && hits < valid, hits + " hits of " + valid);

        // The worker's metrics tell the same story: in = valid + quarantined + dropped.
        assertEquals(2L, validate.get("tasks"), "one bean per task");
        assertEquals(EVENTS, validate.get("records-total"));
        assertEquals(quarantined, validate.get("quarantined-total"));
        assertEquals(EVENTS - quarantined, validate.get("valid-total"));
        assertEquals(validate.get("valid-total"), strict.get("records-total"));
        assertEquals(valid, strict.get("valid-total"));
        assertEquals(EVENTS - valid - quarantined, strict.get("dropped-total"));
        assertEquals(EVENTS, valid + quarantined + strict.get("dropped-total"));
        assertEquals(valid, enrich.get("lookups-total"));
        assertEquals(hits, enrich.get("hits-total"));
        assertEquals(users.size(), enrich.get("table-entries") / 2, "each of the 2 tasks holds the table");
    }

    @Test
    void theRestValidationReportsAMalformedRuleUnderItsKey() throws Exception {
        Map<String, String> c = connectorConfig();
        c.put("name", "ve-bad");
        c.put("transforms.validate.ranges", "amount:100:0");
        c.put("transforms.enrich.lookup.fields", "");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                stack.connect().baseUrl() + "/connector-plugins/" + GENERATOR + "/config/validate"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(c))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = new ObjectMapper().readTree(response.body());
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode config : body.path("configs")) {
            List<String> messages = new ArrayList<>();
            config.path("value").path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(config.path("value").path("name").asText(), messages);
            }
        }
        assertEquals(Set.of("transforms.validate.ranges", "transforms.enrich.lookup.fields"), errors.keySet(),
            errors.toString());
        assertTrue(errors.get("transforms.validate.ranges").get(0).contains(
            "entry 'amount:100:0': minimum 100 is above maximum 0"), errors.toString());
        assertEquals(2, body.path("error_count").asInt());
    }

    @Test
    void theWorkerListsEveryTransformAndPredicate() throws Exception {
        List<String> classes = stack.connect().pluginClasses();
        for (String c : List.of("io.eventlake.transforms.validate.Validate$Key",
            "io.eventlake.transforms.validate.Validate$Value", "io.eventlake.transforms.enrich.Enrich$Key",
            "io.eventlake.transforms.enrich.Enrich$Value", "io.eventlake.transforms.enrich.DeriveFields$Key",
            "io.eventlake.transforms.enrich.DeriveFields$Value", "io.eventlake.transforms.predicates.IsFlagged",
            "io.eventlake.transforms.predicates.HasViolations", "io.eventlake.transforms.predicates.FieldMatches$Key",
            "io.eventlake.transforms.predicates.FieldMatches$Value")) {
            assertTrue(classes.contains(c), c + " not in " + classes);
        }
        assertFalse(isOnTestClasspath("io.eventlake.transforms.validate.Validate"), "loaded from the zip only");
    }

    private static boolean isOnTestClasspath(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * A transformation's metrics summed over the connector's tasks, from the worker's JMX beans; {@code tasks} is
     * the number of beans.
     */
    private static Map<String, Long> metrics(String connector, String alias) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.connect:type=plugins,connector="
            + connector + ",transformation=" + alias + ",*"), null);
        Map<String, Long> sums = new HashMap<>();
        sums.put("tasks", (long) names.size());
        for (ObjectName name : names) {
            for (var attribute : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, attribute.getName());
                sums.merge(attribute.getName(), ((Number) value).longValue(), Long::sum);
            }
        }
        return sums;
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

    private static Struct value(String topic, ConsumerRecord<byte[], byte[]> r) {
        JsonConverter converter = Topics.valueConverter();
        return (Struct) converter.toConnectData(topic, r.value()).value();
    }

    private static long sequence(Struct v) {
        return UUID.fromString(v.getString("event_id")).getLeastSignificantBits() & ((1L << 56) - 1);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, name + " missing");
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
            text.getBytes(StandardCharsets.UTF_8)));
    }
}
