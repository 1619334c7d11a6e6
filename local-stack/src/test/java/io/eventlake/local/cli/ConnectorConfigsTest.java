package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {

    @Test
    void quarantineTopicsOfARoutingValidate() {
        Map<String, String> c = new HashMap<>();
        c.put("transforms", "derive, check");
        c.put("transforms.derive.type", "io.eventlake.transforms.enrich.DeriveFields$Value");
        c.put("transforms.check.type", "io.eventlake.transforms.validate.Validate$Value");
        c.put("transforms.check.on.invalid", "ROUTE");
        assertEquals(Set.of("a-quarantine", "b-quarantine"), ConnectorConfigs.quarantineTopics(c, List.of("a", "b")));

        c.put("transforms.check.quarantine.topic", "bad.${topic}");
        assertEquals(Set.of("bad.a"), ConnectorConfigs.quarantineTopics(c, List.of("a")));
    }

    @Test
    void noQuarantineUnlessValidateRoutes() {
        Map<String, String> c = new HashMap<>();
        c.put("transforms", "check");
        c.put("transforms.check.type", "io.eventlake.transforms.validate.Validate$Value");
        assertEquals(Set.of(), ConnectorConfigs.quarantineTopics(c, List.of("a")), "on.invalid defaults to fail");
        c.put("transforms.check.on.invalid", "tag");
        assertEquals(Set.of(), ConnectorConfigs.quarantineTopics(c, List.of("a")));
    }

    /** The shipped config/: the sink reads every topic the sources write, their quarantine topics included. */
    @Test
    void shippedSinkReadsEverySourceTopicAndItsQuarantine() throws Exception {
        Map<String, Map<String, String>> configs = ConnectorConfigs.load(Path.of("..", "config"));
        Set<String> written = new TreeSet<>();
        for (String g : ConnectorConfigs.namesOf(configs, ConnectorConfigs.GENERATOR_CLASS)) {
            Set<String> own = new TreeSet<>();
            own.add(ConnectorConfigs.generatorTopic(configs.get(g)));
            String reports = ConnectorConfigs.reportsTopic(configs.get(g));
            if (reports != null) {
                own.add(reports);
            }
            written.addAll(own);
            written.addAll(ConnectorConfigs.quarantineTopics(configs.get(g), own));
        }
        for (String h : ConnectorConfigs.namesOf(configs, ConnectorConfigs.HTTP_CLASS)) {
            written.addAll(ConnectorConfigs.httpTopics(configs.get(h)).values());
            written.addAll(ConnectorConfigs.quarantineTopics(configs.get(h),
                ConnectorConfigs.httpTopics(configs.get(h)).values()));
        }
        assertTrue(written.stream().anyMatch(t -> t.endsWith("-quarantine")), written.toString());
        Set<String> read = new TreeSet<>(List.of(configs.get(ConnectorConfigs.nameOf(configs,
            ConnectorConfigs.SINK_CLASS)).get("topics").split(",")));
        assertEquals(written, read);
    }

    @Test
    void setOverridesAConnectorsSettingAndNamesAnUnknownConnector() {
        Map<String, Map<String, String>> configs = new HashMap<>();
        configs.put("eventlake-transactions", new HashMap<>(Map.of("tasks.max", "1")));
        configs.put("eventlake-s3-sink", new HashMap<>());
        ConnectorConfigs.override(configs, "eventlake-transactions.tasks.max=3, eventlake-s3-sink.flush.size=10");
        assertEquals("3", configs.get("eventlake-transactions").get("tasks.max"));
        assertEquals("10", configs.get("eventlake-s3-sink").get("flush.size"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ConnectorConfigs.override(configs, "eventlake-tx.tasks.max=3"));
        assertTrue(e.getMessage().contains("'eventlake-tx'") && e.getMessage().contains("eventlake-transactions"),
            e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectorConfigs.override(configs, "tasks.max"));
    }
}
