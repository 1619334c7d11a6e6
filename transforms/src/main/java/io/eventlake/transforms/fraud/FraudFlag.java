package io.eventlake.transforms.fraud;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.transforms.fraud.feedback.FeedbackConsumer;
import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.feedback.ReportInbox;
import io.eventlake.transforms.util.AddedFields;
import io.eventlake.transforms.util.PluginCounters;

/**
 * Flags likely fraud in payment events: a set of switchable rules (amount limit, amount spike against the key's own
 * history, velocity, impossible travel, many devices, new device, card testing, confirmed-fraud feedback from a
 * reports topic) judge each record in event time, their evidence is combined into a score, and the flag, score and
 * fired rules are added to the value or as headers. The rules and their state live in a {@link FraudDetector}; this
 * class only reads the record, writes the result and owns the feedback consumer's life cycle.
 *
 * <p>There is no {@code Key} variant: what the rules read (amounts, times, places) is in the value; a key is usually
 * just the user id.
 */
public abstract class FraudFlag<R extends ConnectRecord<R>> implements Transformation<R>, Monitorable {

    public static final String OVERVIEW_DOC = "Flags likely fraud in payment events with rules that keep state per "
        + "user, card or merchant in event time: amount above a per-currency limit, amount far above the key's own "
        + "mean, velocity, repeated charges at one merchant, impossible travel, many devices per user, a first-seen "
        + "device, card testing, the share of confirmed fraud per merchant and card from a topic of fraud reports (a "
        + "report counts only from its reported time on), and a repeat charge at a merchant with confirmed fraud. Adds fraud_flagged (boolean), fraud_score (0-1, rising with risk) and "
        + "fraud_reasons (the rules that fired) to the value or as headers. Tombstones pass through. State is "
        + "exact when all events of a key go through one task (key the topic by user). "
        + "Use io.eventlake.transforms.fraud.FraudFlag$Value. See doc/fraud.md.";

    public static final ConfigDef CONFIG_DEF = FraudFlagConfig.CONFIG_DEF;

    /**
     * With {@code state.scope=partition}, the header each judged source record carries: its source partition as
     * {@code key=value} pairs, so a restarted task restores a partition's state from that partition's records only.
     */
    public static final String PARTITION_HEADER = "eventlake.fraud.partition";

    static final Schema REASONS_SCHEMA = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
    private static final Logger log = LoggerFactory.getLogger(FraudFlag.class);
    private static final long FEEDBACK_REFRESH_MS = 60_000;

    private FraudFlagConfig config;
    private FraudDetector detector;
    /** With state.scope=partition, the detectors per input partition; null in task scope. */
    private PartitionDetectors partitions;
    /** Where the reports consumer delivers: the detector's own inbox, or in partition scope one for all. */
    private ReportInbox inbox;
    private final java.util.function.Consumer<Report> fanOut = r -> partitions.report(r);
    private boolean warnedRestoreTopic;
    private AddedFields added;
    private boolean headers;
    private String flagName;
    private String scoreName;
    private String reasonsName;
    private FeedbackConsumer consumer;
    private boolean waitedForFeedback;
    private boolean restored;
    /** The verdicts given per topic-partition and offset on a sink (null when off). */
    private JudgedOffsets judgedOffsets;
    private long judgedAgain;
    private final PluginCounters metrics = new PluginCounters();
    private final LongAdder judged = metrics.counter("records-judged-total", "Records the rules judged");
    private final LongAdder flagged = metrics.counter("records-flagged-total", "Records flagged as likely fraud");
    private final LongAdder replayed = metrics.counter("records-replayed-total", "Records a sink read again "
        + "(after a rewind) that got the verdict they got the first time, without being counted again");
    private final LongAdder judgedAgainCount = metrics.counter("records-judged-again-total", "Records a sink read "
        + "again whose first verdict was no longer kept (state.replay.verdicts): judged and counted a second time");
    private final LongAdder restoredRecords = metrics.counter("records-restored-total", "Records of the restore "
        + "topic re-judged to rebuild the state when the task started");
    {
        metrics.gauge("fraud-reports-skipped-total", "Fraud reports skipped because they could not be decoded or "
            + "lack their times (each logged at WARN, rate-limited)", () -> inbox == null ? 0 : inbox.refused());
        metrics.gauge("fraud-reports-dropped-total", "With state.scope=partition: reports no longer kept for the "
            + "state of a partition met later (state.scope.reports.kept)", () -> partitions == null ? 0
            : partitions.droppedReports());
        metrics.gauge("state-partitions", "With state.scope=partition: input partitions with state in this task",
            () -> partitions == null ? 0 : partitions.size());
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> props) {
        config = new FraudFlagConfig(props);
        detector = config.detector();
        if (config.partitionScope()) {
            partitions = new PartitionDetectors(config::detector, RestoreSettings.scopeReports(config));
            inbox = config.newInbox();
        } else {
            inbox = detector.inbox();
        }
        headers = config.outputMode() == FraudFlagConfig.OutputMode.HEADERS;
        flagName = config.flagName();
        scoreName = config.scoreName();
        reasonsName = config.reasonsName();
        Map<String, Schema> fields = new LinkedHashMap<>();
        fields.put(config.flagName(), Schema.BOOLEAN_SCHEMA);
        fields.put(config.scoreName(), Schema.FLOAT64_SCHEMA);
        fields.put(config.reasonsName(), REASONS_SCHEMA);
        added = new AddedFields(fields, getClass().getName());
        int replayVerdicts = RestoreSettings.replayVerdicts(config);
        judgedOffsets = replayVerdicts > 0 ? new JudgedOffsets(replayVerdicts) : null;
        if (config.feedbackTopic() != null && config.feedbackBootstrap() != null) {
            consumer = startConsumer();
        } else if (config.feedbackTopic() != null) {
            log.warn("{} is set but {} is empty: no reports consumer is started, the feedback rules only get "
                + "reports offered through FraudFlag#offerReport", FeedbackSettings.TOPIC, FeedbackSettings.BOOTSTRAP);
        }
        log.info("Fraud flagging configured: rules {}, output as {}, feedback from {}, state per {}",
            detector.ruleNames(), headers ? "headers" : "fields",
            config.feedbackTopic() == null ? "nowhere" : config.feedbackTopic(), partitions == null ? "task"
                : "input partition");
    }

    /** A value converter as the feedback settings name it. */
    private Converter newConverter() {
        Converter converter;
        try {
            converter = (Converter) Class.forName(config.feedbackConverterClass(), true,
                FraudFlagConfig.converterLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException(FeedbackSettings.CONVERTER, config.feedbackConverterClass(),
                "cannot make a Converter of it: " + e);
        }
        converter.configure(config.feedbackConverterProps(), false);
        return converter;
    }

    private FeedbackConsumer startConsumer() {
        Converter converter = newConverter();
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(config.feedbackConsumerProps(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return startConsumer(new FeedbackConsumer(kafka, converter, config.feedbackTopic(), inbox,
            FEEDBACK_REFRESH_MS, "eventlake-fraud-feedback-" + config.feedbackTopic()));
    }

    /** Starts the reports consumer; a seam for tests, which hand in a consumer on a MockConsumer. */
    FeedbackConsumer startConsumer(FeedbackConsumer feedback) {
        return feedback.start();
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new DataException(getClass().getSimpleName() + " needs a Struct or Map value, got "
                + value.getClass().getName() + " in " + describe(record));
        }
        if (consumer != null) {
            checkFeedback();
        }
        FraudDetector judge = detector;
        String label = null;
        if (partitions == null) {
            if (!restored) {
                restored = true;
                if (config.restoreTopic() != null) {
                    restore();
                }
            }
        } else {
            drainReports();
            PartitionDetectors.Slot slot = partitions.find(record);
            if (slot == null) {
                slot = partitions.create(record);
                restore(slot, record);
            } else if (slot.label == null) {
                catchUp(slot, (SinkRecord) record);
            }
            if (slot.label == null) {
                slot.nextOffset = Math.max(slot.nextOffset, ((SinkRecord) record).originalKafkaOffset() + 1);
            }
            judge = slot.detector;
            label = slot.label == null || slot.label.isEmpty() ? null : slot.label;
        }
        Verdict v = judge(record, value, judge);
        if (headers) {
            Headers h = record.headers().duplicate();
            h.addBoolean(flagName, v.flagged());
            h.addDouble(scoreName, v.score());
            h.addList(reasonsName, v.reasons(), REASONS_SCHEMA);
            if (label != null) {
                h.addString(PARTITION_HEADER, label);
            }
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), h);
        }
        Headers h = record.headers();
        if (label != null) {
            h = h.duplicate();
            h.addString(PARTITION_HEADER, label);
        }
        if (value instanceof Struct struct) {
            Schema schema = added.schemaFor(struct.schema());
            return newRecord(record, schema, added.extend(struct, schema, v.flagged(), v.score(), v.reasons()), h);
        }
        return newRecord(record, null, added.extend((Map<?, ?>) value, v.flagged(), v.score(), v.reasons()), h);
    }

    /**
     * The record's verdict: on a sink, a record read again at an offset judged before gets its first verdict and
     * leaves the state alone; any other record is judged (and, on a sink, its verdict kept by offset).
     */
    private Verdict judge(R record, Object value, FraudDetector detector) {
        SinkRecord sink = judgedOffsets != null && record instanceof SinkRecord s ? s : null;
        if (sink != null) {
            JudgedOffsets.Seen seen = judgedOffsets.seen(sink.originalTopic(), sink.originalKafkaPartition(),
                sink.originalKafkaOffset());
            if (seen == JudgedOffsets.Seen.KNOWN) {
                replayed.increment();
                return detector.replayed(judgedOffsets.score(), judgedOffsets.fired(), judgedOffsets.flagged());
            }
            if (seen == JudgedOffsets.Seen.FORGOTTEN) {
                judgedAgainCount.increment();
                if (Long.bitCount(++judgedAgain) == 1) {
                    log.warn("{} was judged before but its verdict is no longer kept ({} = {} per partition): "
                        + "judged again, so the rules count it twice ({} such records so far)", describe(record),
                        RestoreSettings.REPLAY, RestoreSettings.replayVerdicts(config), judgedAgain);
                }
                sink = null;
            }
        }
        Verdict v;
        try {
            v = detector.judge(value);
        } catch (FraudDetector.MissingFieldException e) {
            throw new DataException(e.getMessage() + " (" + detector.fields().path(e.input()) + ") in "
                + describe(record), e);
        }
        judged.increment();
        if (v.flagged()) {
            flagged.increment();
        }
        if (sink != null) {
            judgedOffsets.judged(sink.originalTopic(), sink.originalKafkaPartition(), sink.originalKafkaOffset(), v);
        }
        return v;
    }

    private void checkFeedback() {
        if (!waitedForFeedback) {
            waitedForFeedback = true;
            awaitFeedback(config.feedbackCatchupTimeoutMs());
        }
        Throwable failure = consumer.failure();
        if (failure != null) {
            throw new ConnectException("The fraud reports consumer of " + config.feedbackTopic() + " failed; "
                + "the task stops rather than judge without feedback", failure);
        }
    }

    /**
     * Rebuilds the rules' state from the restore topic, before the first record is judged: every committed record from
     * the beginning up to the end offsets found now, each judged as it was (the feedback reports are in already), its
     * verdict thrown away. What the task judges next it judges as a task that never stopped would.
     */
    private void restore() {
        restore(detector, "", StateRestore::run);
    }

    /**
     * Partition scope: rebuilds a partition's state when the task first meets it. A source partition from the
     * restore topic's records whose {@link #PARTITION_HEADER} names it; a sink partition from its own records before
     * this one, when the restore topic is the sink's topic.
     */
    private void restore(PartitionDetectors.Slot slot, R record) {
        String topic = config.restoreTopic();
        if (topic == null) {
            return;
        }
        if (slot.label == null) {
            if (!topic.equals(slot.topic)) {
                if (!warnedRestoreTopic) {
                    warnedRestoreTopic = true;
                    log.warn("{} is {}, not the topic of {}: on a sink with {}=partition a partition's state is "
                        + "restored from the partition itself, so this one starts empty", RestoreSettings.TOPIC,
                        topic, describe(record), RestoreSettings.SCOPE);
                }
                return;
            }
            long end = ((SinkRecord) record).originalKafkaOffset();
            restore(slot.detector, " partition " + slot.partition + " below offset " + end,
                r -> r.runPartition(slot.partition, end));
        } else if (!slot.label.isEmpty()) {
            byte[] plain = slot.label.getBytes(StandardCharsets.UTF_8);
            byte[] quoted = ("\"" + slot.label + "\"").getBytes(StandardCharsets.UTF_8);
            restore(slot.detector, " records of source partition " + slot.label, r -> r.only(c -> {
                Header h = c.headers().lastHeader(PARTITION_HEADER);
                return h != null && (Arrays.equals(h.value(), plain)
                    || Arrays.equals(h.value(), quoted));
            }).run());
        }
    }

    /**
     * On a sink, a partition that comes back to this task after another task judged part of it (two rebalances): its
     * state misses what the other task judged, so the records between the last one judged here and this one are read
     * from the partition and judged into the state first. A gap of one offset is a transaction marker and is skipped.
     */
    private void catchUp(PartitionDetectors.Slot slot, SinkRecord record) {
        long offset = record.originalKafkaOffset();
        String topic = config.restoreTopic();
        if (topic == null || !topic.equals(slot.topic) || slot.nextOffset < 0 || offset <= slot.nextOffset + 1) {
            return;
        }
        long from = slot.nextOffset;
        restore(slot.detector, " partition " + slot.partition + " from offset " + from + " to " + offset
            + " (judged elsewhere meanwhile)", r -> r.runPartition(slot.partition, from, offset));
    }

    private void restore(FraudDetector into, String what, ToLongFunction<StateRestore> read) {
        String topic = config.restoreTopic();
        long started = System.currentTimeMillis();
        try (Consumer<byte[], byte[]> kafka = restoreConsumer(); Converter converter = newConverter()) {
            StateRestore restore = new StateRestore(kafka, topic, value -> {
                try {
                    into.judge(value);
                } catch (FraudDetector.MissingFieldException e) {
                    // It was not judged then either: it failed or went to the dead letter queue.
                }
            }, converter, config.restoreTimeoutMs());
            long n = read.applyAsLong(restore);
            restoredRecords.add(n);
            log.info("Fraud state restored from {}{}: {} records re-judged in {} ms ({} undecodable skipped)", topic,
                what, n, System.currentTimeMillis() - started, restore.skipped());
        } catch (java.io.IOException e) {
            throw new ConnectException("Closing the restore converter failed", e);
        }
    }

    /** The restore topic's consumer; a seam for tests, which hand in a MockConsumer. */
    Consumer<byte[], byte[]> restoreConsumer() {
        return new KafkaConsumer<>(config.restoreConsumerProps(), new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    /** Waits for the reports already in the topic, applying them as they come (the inbox is bounded). */
    private void awaitFeedback(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (!consumer.awaitCaughtUp(20)) {
                drainReports();
                if (System.currentTimeMillis() > deadline) {
                    log.warn("The fraud reports consumer has not read {} to its end after {} ms ({} reports so far); "
                        + "judging records now, the rest of the reports will count as they arrive",
                        config.feedbackTopic(), timeoutMs, consumer.records());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a decoded fraud report value as the consumer does (offline evaluation, tests). */
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics);
    }

    /** The transform's counters (records-judged-total, records-flagged-total), for tests and tools. */
    public PluginCounters counters() {
        return metrics;
    }

    public void offerReport(Object reportValue) {
        if (partitions == null) {
            detector.offerReport(reportValue);
            return;
        }
        if (inbox == null) {
            throw new IllegalStateException("no feedback rule is enabled");
        }
        inbox.offerOnTaskThread(reportValue, this::drainReports);
    }

    /** Applies the queued reports: to the detector, or in partition scope to every partition's detector. */
    private void drainReports() {
        if (partitions == null) {
            detector.drainReports();
        } else if (inbox != null) {
            inbox.drainTo(fanOut);
        }
    }

    /** The rules and their state (offline evaluation, tests); with state.scope=partition an unused template. */
    public FraudDetector detector() {
        return detector;
    }

    static String describe(ConnectRecord<?> record) {
        String where = record.topic() + "-" + record.kafkaPartition();
        return record instanceof SinkRecord s ? where + "@" + s.kafkaOffset() : where;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
        if (detector != null) {
            detector.clear();
        }
        if (partitions != null) {
            partitions.clear();
        }
        if (judgedOffsets != null) {
            judgedOffsets.clear();
        }
    }

    protected abstract Object operatingValue(R record);

    protected abstract R newRecord(R record, Schema updatedSchema, Object updatedValue, Headers headers);

    /** Judges the record value. */
    public static class Value<R extends ConnectRecord<R>> extends FraudFlag<R> {

        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }

        @Override
        protected R newRecord(R record, Schema updatedSchema, Object updatedValue, Headers headers) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                updatedSchema, updatedValue, record.timestamp(), headers);
        }
    }

}
