package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What {@code ./eventlake up --topic-partitions N} changes in the stack and the sink configs. */
class UpCommandTuningTest {

    private static Map<String, Map<String, String>> configs() {
        Map<String, Map<String, String>> configs = new HashMap<>();
        configs.put("sink", new HashMap<>(Map.of("connector.class", ConnectorConfigs.SINK_CLASS)));
        configs.put("own-budget", new HashMap<>(Map.of("connector.class", ConnectorConfigs.SINK_CLASS,
            "memory.budget.bytes", "1000000")));
        configs.put("generator", new HashMap<>(Map.of("connector.class", ConnectorConfigs.GENERATOR_CLASS)));
        return configs;
    }

    @Test
    void fewPartitionsChangeNothing() {
        Map<String, Map<String, String>> configs = configs();
        UpCommand.StackTuning t = UpCommand.tuningFor(UpCommand.MANY_PARTITIONS - 1, configs,
            List.of("sink", "own-budget"));
        assertEquals(Map.of(), t.worker());
        assertEquals(Map.of(), t.broker());
        assertEquals(configs(), configs);
    }

    /**
     * From 100 partitions per topic: small producer batches and buffers, Kafka's default 60 s transactions, bounded
     * fetch responses, 16 MiB broker messages, and a 32 MiB budget for a sink that sets none (one that sets its own
     * keeps it; a generator is untouched).
     */
    @Test
    void manyPartitionsBoundTheClientsBuffersAndTheSinksBudget() {
        Map<String, Map<String, String>> configs = configs();
        UpCommand.StackTuning t = UpCommand.tuningFor(1000, configs, List.of("sink", "own-budget"));
        assertEquals("4096", t.worker().get("producer.batch.size"));
        assertEquals("8388608", t.worker().get("producer.buffer.memory"));
        assertEquals("60000", t.worker().get("producer.transaction.timeout.ms"));
        assertEquals("8388608", t.worker().get("consumer.fetch.max.bytes"));
        assertEquals(Map.of("message.max.bytes", Integer.toString(16 * 1024 * 1024)), t.broker());
        assertEquals(Long.toString(32L * 1024 * 1024), configs.get("sink").get("memory.budget.bytes"));
        assertEquals("1000000", configs.get("own-budget").get("memory.budget.bytes"));
        assertTrue(!configs.get("generator").containsKey("memory.budget.bytes"));
    }
}
