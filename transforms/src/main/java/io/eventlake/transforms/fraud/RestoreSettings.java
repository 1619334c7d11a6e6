package io.eventlake.transforms.fraud;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Where a task rebuilds the rules' state from before it judges its first record: the topic this transform's output
 * lands in. Read with the feedback consumer's cluster, security settings and converter.
 */
final class RestoreSettings {

    static final String GROUP = "State restore";
    static final String TOPIC = "state.restore.topic";
    static final String TIMEOUT = "state.restore.timeout.ms";
    static final String REPLAY = "state.replay.verdicts";
    static final String SCOPE = "state.scope";
    static final String SCOPE_REPORTS = "state.scope.reports.kept";
    static final String TASK = "task";
    static final String PARTITION = "partition";

    private RestoreSettings() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(TOPIC, Type.STRING, "", Importance.MEDIUM, "The topic this transform's output lands in (e.g. "
                + "transactions). When set, a task that starts (first start, restart, rebalance, new tasks.max) "
                + "first re-judges every committed record of it, from the beginning to the end it finds, without "
                + "emitting anything, so its windows, profiles and counts are those of a task that never stopped. "
                + "Read with " + FeedbackSettings.BOOTSTRAP + ", " + FeedbackSettings.CONSUMER_PREFIX + "* (read_committed) "
                + "and " + FeedbackSettings.CONVERTER + ". Exact when every key is judged by one task and the source "
                + "writes exactly once (exactly.once.source.support=enabled); see doc/fraud.md. Empty: a task starts "
                + "with empty state. With " + SCOPE + "=partition the state is restored per partition instead (see "
                + SCOPE + "); on a sink connector this is then the topic the sink reads.", GROUP, ++order,
                Width.MEDIUM, "Restore topic")
            .define(TIMEOUT, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW, "Longest a restore may take; "
                + "past it the task fails rather than judge with part of its history.", GROUP, ++order, Width.SHORT,
                "Restore timeout")
            .define(REPLAY, Type.INT, 100_000, Range.between(0, 100_000_000), Importance.LOW, "On a sink connector: "
                + "verdicts kept per topic-partition, by offset, so that a record the sink reads again (it rewound "
                + "after a failed commit, or its consumer went back to the committed offset) gets the verdict it got "
                + "the first time and is not counted into the rules' state twice. Any record at or below the highest "
                + "offset judged in its partition is such a replay; one older than the verdicts kept is judged again "
                + "(counted in records-judged-again-total and logged at WARN). About 20 bytes per verdict (2 MB per "
                + "partition at the default): size it to the records a sink reads between two commits of a "
                + "partition. 0: off (every record is judged, replays too). Source connectors never replay.",
                GROUP, ++order, Width.SHORT, "Replayed verdicts kept")
            .define(SCOPE, Type.STRING, TASK, ConfigDef.CaseInsensitiveValidString.in(TASK, PARTITION),
                Importance.MEDIUM, "What one set of rule state covers. task: everything the task judges, so merchant "
                + "counts, the amount quantile and the learned weights see all of the task's records, and verdicts "
                + "can depend on how partitions are spread over tasks (tasks.max, rebalances). partition: one set per "
                + "input partition, as a Kafka Streams task has (on a source connector its source partition, e.g. "
                + "the generator's lane; on a sink its topic-partition), so a verdict depends only on the records "
                + "of its partition and the reports, whatever the task layout, at the cost of merchant-level "
                + "evidence split over the partitions. With " + TOPIC + ", a partition's state is restored when the "
                + "task first meets it: on a source from the restore topic's records that carry the partition's "
                + "header (" + FraudFlag.PARTITION_HEADER + ", added to every record judged in this scope), on a "
                + "sink from the partition's own records before the first one handed to the task, when " + TOPIC
                + " names the sink's topic (and, when a partition comes back to a task after another judged part of "
                + "it, from the records judged meanwhile). See doc/fraud.md.", GROUP, ++order, Width.SHORT,
                "State scope")
            .define(SCOPE_REPORTS, Type.INT, 200_000, Range.between(0, 100_000_000), Importance.LOW, "With "
                + SCOPE + "=partition: fraud reports kept to hand to the state of a partition the task meets later "
                + "(after a rebalance, or a partition whose first record comes late); about 200 bytes each. Past it "
                + "the oldest go first, and a partition met after that misses them (counted in "
                + "fraud-reports-dropped-total).", GROUP, ++order, Width.SHORT, "Reports kept for new partitions");
    }

    static boolean partitionScope(AbstractConfig c) {
        return PARTITION.equalsIgnoreCase(c.getString(SCOPE));
    }

    static int scopeReports(AbstractConfig c) {
        return c.getInt(SCOPE_REPORTS);
    }

    static int replayVerdicts(AbstractConfig c) {
        return c.getInt(REPLAY);
    }

    static String topic(AbstractConfig c) {
        String t = c.getString(TOPIC);
        return t == null || t.isBlank() ? null : t.trim();
    }

    /** The restore consumer's properties: the feedback consumer's, with a client id of its own. */
    static Map<String, Object> consumerProps(AbstractConfig c) {
        Map<String, Object> props = new HashMap<>(FeedbackSettings.consumerProps(c));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventlake-fraud-restore");
        return props;
    }
}
