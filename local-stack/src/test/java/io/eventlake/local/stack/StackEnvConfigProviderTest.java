package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StackEnvConfigProviderTest {

    private static StackEnvConfigProvider provider(Map<String, ?> params) {
        StackEnvConfigProvider p = new StackEnvConfigProvider();
        p.configure(params);
        return p;
    }

    @Test
    void theStacksVariablesResolve() {
        StackEnvConfigProvider p = provider(Map.of("variable.EVENTLAKE_S3_ENDPOINT", "http://127.0.0.1:9"));
        assertEquals(Map.of("EVENTLAKE_S3_ENDPOINT", "http://127.0.0.1:9"),
            p.get("", Set.of("EVENTLAKE_S3_ENDPOINT")).data());
    }

    @Test
    void theStacksVariablesWinOverTheProcessEnvironment() {
        String name = System.getenv().keySet().stream().findFirst().orElseThrow();
        StackEnvConfigProvider p = provider(Map.of("variable." + name, "the stack's"));
        assertEquals("the stack's", p.get("", Set.of(name)).data().get(name));
    }

    @Test
    void theAllowListHidesEveryOtherVariable() {
        StackEnvConfigProvider p = provider(Map.of("allowlist.pattern", WorkerEnvironment.ALLOWLIST,
            "variable.EVENTLAKE_X", "x", "variable.OTHER", "y"));
        assertEquals(Map.of("EVENTLAKE_X", "x"), p.get("", Set.of("EVENTLAKE_X", "OTHER", "PATH")).data());
        assertTrue(p.get("").data().keySet().stream().allMatch(k -> k.startsWith("EVENTLAKE_")));
    }

    @Test
    void aPathIsRefusedAsByKafkasEnvProvider() {
        StackEnvConfigProvider p = provider(Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> p.get("/etc", Set.of("X")));
        assertTrue(e.getMessage().contains("/etc"), e.getMessage());
    }

    @Test
    void theWorkerPropertiesPassEachVariableToTheProvider() {
        assertEquals(Map.of("config.providers.env.param.variable.EVENTLAKE_A", "a"),
            WorkerEnvironment.workerProperties(Map.of("EVENTLAKE_A", "a")));
    }
}
