package io.eventlake.connect.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class HttpIngestConfigTest {

    private static Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>(HttpIngestSourceTaskTest.typed());
        p.put(HttpIngestConfig.BIND_ADDRESS_CONFIG, "127.0.0.1");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static void assertRefused(String key, String inMessage, String... kv) {
        ConfigException e = assertThrows(ConfigException.class, () -> new HttpIngestConfig(props(kv)));
        assertTrue(e.getMessage().contains(key), e.getMessage() + " does not name " + key);
        assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    }

    /**
     * Open by default no more: on an address other than loopback the endpoint needs a bearer token or an HMAC
     * secret, or the explicit opt-in; the message says how.
     */
    @Test
    void anUnauthenticatedEndpointOnANonLoopbackAddressIsRefusedUnlessAskedFor() {
        assertRefused(HttpIngestConfig.BIND_ADDRESS_CONFIG, "http.auth.allow.unauthenticated=true",
            HttpIngestConfig.BIND_ADDRESS_CONFIG, "0.0.0.0");
        assertRefused(HttpIngestConfig.BIND_ADDRESS_CONFIG, "http.auth.bearer.token",
            HttpIngestConfig.BIND_ADDRESS_CONFIG, "10.1.2.3");
        for (String loopback : List.of("127.0.0.1", "localhost", "::1", "[::1]")) {
            new HttpIngestConfig(props(HttpIngestConfig.BIND_ADDRESS_CONFIG, loopback));
        }
        new HttpIngestConfig(props(HttpIngestConfig.BIND_ADDRESS_CONFIG, "0.0.0.0",
            HttpIngestConfig.BEARER_TOKEN_CONFIG, "t"));
        new HttpIngestConfig(props(HttpIngestConfig.BIND_ADDRESS_CONFIG, "0.0.0.0",
            HttpIngestConfig.HMAC_SECRET_CONFIG, "k"));
        new HttpIngestConfig(props(HttpIngestConfig.BIND_ADDRESS_CONFIG, "0.0.0.0",
            HttpIngestConfig.ALLOW_UNAUTHENTICATED_CONFIG, "true"));
    }

    @Test
    void theDefaultsMakeAWorkingConnector() {
        HttpIngestConfig c = new HttpIngestConfig(Map.of(HttpIngestConfig.ALLOW_UNAUTHENTICATED_CONFIG, "true"));
        assertEquals(8088, c.port());
        assertEquals(Map.of("/events", "http-events"), c.routes());
        assertEquals(null, c.valueSchema());
    }

    @Test
    void routesAddPathsWithTheirTopics() {
        HttpIngestConfig c = new HttpIngestConfig(props(HttpIngestConfig.ROUTES_CONFIG, "/a=topic-a, /b=topic.b"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/events", "http-events");
        expected.put("/a", "topic-a");
        expected.put("/b", "topic.b");
        assertEquals(expected, c.routes());
    }

    @Test
    void aBadSchemaIsNamedWithWhereItBreaks() {
        assertRefused(HttpIngestConfig.SCHEMA_CONFIG, "at character 4: unknown type 'strin'",
            HttpIngestConfig.SCHEMA_CONFIG, "id:strin");
    }

    @Test
    void theTimeFieldMustBeATimestampOfTheSchema() {
        assertRefused(HttpIngestConfig.TIME_FIELD_CONFIG, "'when' is not a field of event.schema",
            HttpIngestConfig.TIME_FIELD_CONFIG, "when");
        assertRefused(HttpIngestConfig.TIME_FIELD_CONFIG, "must be a timestamp or an int64",
            HttpIngestConfig.TIME_FIELD_CONFIG, "id");
    }

    @Test
    void theKeyFieldMustBeAFieldOfTheSchema() {
        assertRefused(HttpIngestConfig.KEY_FIELD_CONFIG, "'who' is not a field", HttpIngestConfig.KEY_FIELD_CONFIG,
            "who");
        assertRefused(HttpIngestConfig.KEY_FIELD_CONFIG, "a key field must be", HttpIngestConfig.KEY_FIELD_CONFIG,
            "amount");
    }

    @Test
    void badPathsTopicsAndRoutesAreNamed() {
        assertRefused(HttpIngestConfig.PATH_CONFIG, "must start with /", HttpIngestConfig.PATH_CONFIG, "events");
        assertRefused(HttpIngestConfig.TOPIC_CONFIG, "not a topic name", HttpIngestConfig.TOPIC_CONFIG, "a topic");
        assertRefused(HttpIngestConfig.ROUTES_CONFIG, "not path=topic", HttpIngestConfig.ROUTES_CONFIG, "/a:b");
        assertRefused(HttpIngestConfig.ROUTES_CONFIG, "path /events is taken twice", HttpIngestConfig.ROUTES_CONFIG,
            "/events=other");
        assertRefused(HttpIngestConfig.HEALTH_PATH_CONFIG, "is also an ingest path",
            HttpIngestConfig.HEALTH_PATH_CONFIG, "/events");
    }

    @Test
    void badTimeFormatsAndZonesAreNamed() {
        assertRefused(HttpIngestConfig.TIME_FORMAT_CONFIG, "does not give a date and time of day",
            HttpIngestConfig.TIME_FORMAT_CONFIG, "HH:mm");
        assertRefused(HttpIngestConfig.TIME_ZONE_CONFIG, "Mars/Olympus", HttpIngestConfig.TIME_ZONE_CONFIG,
            "Mars/Olympus");
    }

    @Test
    void aRequestLimitAboveTheBufferIsRefused() {
        assertRefused(HttpIngestConfig.REQUEST_MAX_BYTES_CONFIG, "could never be taken",
            HttpIngestConfig.REQUEST_MAX_BYTES_CONFIG, "4096", HttpIngestConfig.BUFFER_MAX_BYTES_CONFIG, "2048");
    }

    @Test
    void aKeyStoreNeedsItsPassword() {
        assertRefused(HttpIngestConfig.KEYSTORE_PASSWORD_CONFIG, "is required with http.ssl.keystore.location",
            HttpIngestConfig.KEYSTORE_LOCATION_CONFIG, "/etc/ks.p12");
    }

    @Test
    void secretsAreHiddenInTheConfigsString() {
        HttpIngestConfig c = new HttpIngestConfig(props(HttpIngestConfig.BEARER_TOKEN_CONFIG, "tok-123",
            HttpIngestConfig.HMAC_SECRET_CONFIG, "hmac-456"));
        assertTrue(!c.values().toString().contains("tok-123") && !c.values().toString().contains("hmac-456"));
    }

    private static List<String> errors(Map<String, String> config, String key) {
        return new HttpIngestSourceConnector().validate(config).configValues().stream()
            .filter(v -> v.name().equals(key)).map(ConfigValue::errorMessages).findFirst().orElse(List.of());
    }

    @Test
    void validateAttachesCrossKeyProblemsToTheirKeys() {
        List<String> errors = errors(props(HttpIngestConfig.TIME_FIELD_CONFIG, "when"),
            HttpIngestConfig.TIME_FIELD_CONFIG);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("'when' is not a field"), errors.toString());
    }

    @Test
    void validateRefusesAnAcksOverrideOtherThanAll() {
        List<String> errors = errors(props("producer.override.acks", "1"), "producer.override.acks");
        assertTrue(errors.get(0).contains("needs acks=all"), errors.toString());
        assertEquals(List.of(), errors(props("producer.override.acks", "all"), "producer.override.acks"));
    }

    @Test
    void validateRefusesPortsBeyondTheRange() {
        List<String> errors = errors(props(HttpIngestConfig.PORT_CONFIG, "65535", "tasks.max", "2"), "tasks.max");
        assertTrue(errors.get(0).contains("65535 + 1 is beyond 65535"), errors.toString());
    }

    @Test
    void validateRefusesATransactionIntervalLongerThanTheAckTimeout() {
        List<String> errors = errors(props("transaction.boundary", "interval"), HttpIngestConfig.ACK_TIMEOUT_CONFIG);
        assertTrue(errors.get(0).contains("requests would time out before their events commit"), errors.toString());
        assertEquals(List.of(), errors(props("transaction.boundary", "interval", "transaction.boundary.interval.ms",
            "1000"), HttpIngestConfig.ACK_TIMEOUT_CONFIG));
    }

    @Test
    void eachTaskGetsItsNumber() {
        HttpIngestSourceConnector connector = new HttpIngestSourceConnector();
        connector.start(props());
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertEquals(List.of("0", "1", "2"), tasks.stream().map(t -> t.get(HttpIngestConfig.TASK_INDEX_CONFIG))
            .toList());
    }

    @Test
    void taskNListensOnHttpPortPlusN() {
        HttpIngestConfig c = new HttpIngestConfig(props(HttpIngestConfig.PORT_CONFIG, "9000"));
        assertEquals(9000, c.serverSettings(0, "t").port());
        assertEquals(9002, c.serverSettings(2, "t").port());
        HttpIngestConfig any = new HttpIngestConfig(props(HttpIngestConfig.PORT_CONFIG, "0"));
        assertEquals(0, any.serverSettings(2, "t").port(), "port 0 lets every task take a free port");
    }

    @Test
    void startRefusesWhatValidateRefuses() {
        ConfigException e = assertThrows(ConfigException.class,
            () -> new HttpIngestSourceConnector().start(props("producer.override.acks", "0")));
        assertTrue(e.getMessage().contains("producer.override.acks"), e.getMessage());
    }
}
