package io.eventlake.local.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventlake.local.stack.ConnectRest;
import io.eventlake.local.stack.LakeStats;

/**
 * Reads the pipeline's progress: what the generators committed (events and fraud reports, from their source
 * offsets), what the lake holds per topic, and the first failure of any connector.
 */
final class Pipeline {

    private final ConnectRest rest;
    private final List<String> generators;
    private final List<String> connectors;
    private final Set<String> generatedTopics;
    private final Set<String> quarantineTopics;
    private final LakeStats lake;
    private final TransactionRestarts restarts;

    /** @param out where restarts of tasks whose transaction was aborted under them are told */
    Pipeline(ConnectRest rest, List<String> generators, List<String> connectors, Set<String> generatedTopics,
             Set<String> quarantineTopics, LakeStats lake, PrintStream out) {
        this.restarts = new TransactionRestarts(rest, out, System::currentTimeMillis);
        this.quarantineTopics = quarantineTopics;
        this.rest = rest;
        this.generators = generators;
        this.connectors = connectors;
        this.generatedTopics = generatedTopics;
        this.lake = lake;
    }

    /** Counts in the generators' committed offsets. */
    record Produced(long events, long reports) {
        long records() {
            return events + reports;
        }
    }

    /** Events and fraud reports in committed generator offsets: each lane's offset counts what it emitted. */
    Produced produced() throws IOException, InterruptedException {
        long events = 0;
        long reports = 0;
        for (String generator : generators) {
            for (Map<String, Object> offset : rest.sourceOffsets(generator)) {
                if (offset != null && offset.get("step") instanceof Number n) {
                    events += n.longValue();
                }
                if (offset != null && offset.get("reports") instanceof Number n) {
                    reports += n.longValue();
                }
            }
        }
        return new Produced(events, reports);
    }

    /** The generators' topics, their quarantine topics included. */
    Set<String> generatedTopics() {
        return generatedTopics;
    }

    /** Where the generators' invalid events are routed. */
    Set<String> quarantineTopics() {
        return quarantineTopics;
    }

    LakeStats.Snapshot lake() throws IOException {
        return lake.snapshot();
    }

    /**
     * The first failure of any connector, or null. A task whose exactly-once transaction was aborted under it is
     * restarted instead ({@link TransactionRestarts}).
     */
    String failure() throws IOException, InterruptedException {
        for (String connector : connectors) {
            String failed = restarts.failure(connector);
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }
}
