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

import io.eventlake.transforms.fraud.feedback.ReportParser;

/** Where fraud reports come from: the topic, the consumer's settings, the converter and the reports' fields. */
final class FeedbackSettings {

    static final String GROUP = "Feedback (fraud reports)";
    static final String TOPIC = "feedback.topic";
    static final String BOOTSTRAP = "feedback.bootstrap.servers";
    static final String CONSUMER_PREFIX = "feedback.consumer.";
    static final String CONVERTER = "feedback.value.converter";
    static final String CONVERTER_PREFIX = CONVERTER + ".";
    static final String CATCHUP_TIMEOUT = "feedback.catchup.timeout.ms";
    static final String FIELD_EVENT_TIME = "feedback.field.event.time";
    static final String FIELD_REPORTED_TIME = "feedback.field.reported.time";
    static final String FIELD_USER = "feedback.field.user";
    static final String FIELD_CARD = "feedback.field.card";
    static final String FIELD_MERCHANT = "feedback.field.merchant";
    static final String FIELD_AMOUNT = "feedback.field.amount";
    static final String FIELD_CURRENCY = "feedback.field.currency";
    static final String LEARN_WEIGHTS = "feedback.learn.weights";
    static final String LEARN_PRIOR = "feedback.learn.prior.firings";
    static final String LEARN_MAX_FIRED = "feedback.learn.max.fired";
    static final String LEARN_MATCH = "feedback.learn.match.ms";
    static final String LEARN_SHARES = "feedback.learn.shares";

    static final String DEFAULT_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private FeedbackSettings() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(TOPIC, Type.STRING, "", Importance.HIGH, "Topic of fraud reports (chargebacks). Empty switches "
                + "the feedback rules off. Each task reads it from the beginning with a consumer of its own.",
                GROUP, ++order, Width.MEDIUM, "Reports topic")
            .define(BOOTSTRAP, Type.STRING, "", Importance.HIGH, "Kafka bootstrap servers of the reports topic. "
                + "Empty starts no consumer: reports then arrive only through FraudFlag#offerReport (offline "
                + "evaluation, tests). Other consumer settings (security, isolation.level...) go under "
                + CONSUMER_PREFIX + "*.", GROUP, ++order, Width.LONG, "Bootstrap servers")
            .define(CONVERTER, Type.STRING, DEFAULT_CONVERTER, Importance.MEDIUM, "Converter class that decodes the "
                + "reports' values (as the producing connector's value.converter); its settings go under "
                + CONVERTER_PREFIX + "* (JsonConverter defaults to schemas.enable=true).", GROUP, ++order,
                Width.LONG, "Reports converter")
            .define(CATCHUP_TIMEOUT, Type.LONG, 60_000L, Range.atLeast(0), Importance.LOW, "The first record waits "
                + "up to this long for the consumer to read the reports already in the topic, so a restarted task "
                + "does not judge with an empty history; then it goes on and the rest arrives as it is read.",
                GROUP, ++order, Width.SHORT, "Catch-up timeout")
            .define(FIELD_EVENT_TIME, Type.STRING, "event_time", Importance.MEDIUM, "Field of a report holding the "
                + "reported transaction's event time.", GROUP, ++order, Width.MEDIUM, "Report event time")
            .define(FIELD_REPORTED_TIME, Type.STRING, "reported_time", Importance.MEDIUM, "Field of a report holding "
                + "when the fraud was reported: the report counts only for events at or after it.", GROUP,
                ++order, Width.MEDIUM, "Report reported time")
            .define(FIELD_USER, Type.STRING, "user_id", Importance.LOW, "Field of a report naming the user.", GROUP,
                ++order, Width.MEDIUM, "Report user")
            .define(FIELD_CARD, Type.STRING, "card_id", Importance.LOW, "Field of a report naming the card (for "
                + "card_fraud_rate).", GROUP, ++order, Width.MEDIUM, "Report card")
            .define(FIELD_MERCHANT, Type.STRING, "merchant_id", Importance.LOW, "Field of a report naming the "
                + "merchant or terminal (for merchant_fraud_rate).", GROUP, ++order, Width.MEDIUM, "Report merchant")
            .define(FIELD_AMOUNT, Type.STRING, "amount", Importance.LOW, "Field of a report holding the "
                + "transaction's amount (for amount_fraud_rate), in the same unit as the events' amounts.", GROUP,
                ++order, Width.MEDIUM, "Report amount")
            .define(FIELD_CURRENCY, Type.STRING, "currency", Importance.LOW, "Field of a report holding the "
                + "amount's currency; a report without one counts for the events without one.", GROUP, ++order,
                Width.MEDIUM, "Report currency")
            .define(LEARN_WEIGHTS, Type.BOOLEAN, true, Importance.MEDIUM, "Learn from the reports what each rule's "
                + "firings are worth: once a record is old enough to have been reported (the age by which 95 % of "
                + "the reports came), each rule that fired on it counts one firing, confirmed if a report (matched "
                + "on card and the nearest event time, feedback.learn.match.ms) names it. A rule's weight rises to its confirmed share of firings, "
                + "relative to the share of frauds reported at all (estimated as the best-confirmed rule's, at least "
                + "0.5); it never falls below the rule's configured weight. No report is used before its reported "
                + "time. false: the configured weights only.", GROUP, ++order, Width.SHORT, "Learn weights")
            .define(LEARN_PRIOR, Type.DOUBLE, 20.0, Range.atLeast(1), Importance.LOW, "How many firings a rule's "
                + "configured weight counts for against the confirmed ones: a rule's weight moves away from it "
                + "only as its scored firings outnumber this.", GROUP, ++order, Width.SHORT, "Learning prior")
            .define(LEARN_MAX_FIRED, Type.INT, 50_000, Range.atLeast(1), Importance.LOW, "Records with a firing "
                + "kept until they are old enough to score (about 150 bytes each: 7 MB at the default); past it the "
                + "oldest are scored early, as not reported, which can only hold a weight back.", GROUP, ++order,
                Width.SHORT, "Learning records")
            .define(LEARN_MATCH, Type.LONG, 1_000L, Range.between(0L, 3_600_000L), Importance.LOW, "A report confirms "
                + "the record of its card whose event time is nearest the report's, within this many ms (default 1 "
                + "s: a feed that writes times in whole seconds still matches; a card rarely pays twice within a "
                + "second). 0: the same millisecond only.", GROUP, ++order, Width.SHORT, "Report match window")
            .define(LEARN_SHARES, Type.BOOLEAN, true, Importance.LOW, "With feedback.learn.weights, also learn "
                + "what the confirmed shares (merchant_fraud_rate, card_fraud_rate, amount_fraud_rate) are worth: "
                + "records are scored against the reports by bin of each share's strength (0.02, 0.05, 0.1, 0.2, "
                + "0.35, 0.5, 0.75 and up) and, for merchant_fraud_rate and card_fraud_rate, by how long ago the "
                + "key's oldest confirmed fraud still counted happened (under 1, 3, 7, 14, 21 days, or more), and a "
                + "share adds the confirmed rate of its cell when that is higher than the share itself (a freshly "
                + "compromised terminal's next payments are nearly all fraud, whatever the lower bound of its few "
                + "known ones says). Never lowered. false: the shares as they are.", GROUP,
                ++order, Width.SHORT, "Learn shares");
    }

    /** How weights are learned, or null when they are not. */
    static FraudDetector.Learning learning(AbstractConfig c) {
        if (topic(c) == null || !c.getBoolean(LEARN_WEIGHTS)) {
            return null;
        }
        return new FraudDetector.Learning(c.getDouble(LEARN_PRIOR), c.getInt(LEARN_MAX_FIRED), c.getLong(LEARN_MATCH),
            c.getBoolean(LEARN_SHARES));
    }

    static String topic(AbstractConfig c) {
        String t = c.getString(TOPIC);
        return t == null || t.isBlank() ? null : t.trim();
    }

    static String bootstrap(AbstractConfig c) {
        String b = c.getString(BOOTSTRAP);
        return b == null || b.isBlank() ? null : b.trim();
    }

    static ReportParser parser(AbstractConfig c) {
        return new ReportParser(FraudFlagConfig.path(c, FIELD_EVENT_TIME, true),
            FraudFlagConfig.path(c, FIELD_REPORTED_TIME, true), FraudFlagConfig.path(c, FIELD_USER, false),
            FraudFlagConfig.path(c, FIELD_CARD, false), FraudFlagConfig.path(c, FIELD_MERCHANT, false),
            FraudFlagConfig.path(c, FIELD_AMOUNT, false), FraudFlagConfig.path(c, FIELD_CURRENCY, false));
    }

    /** The consumer's properties: the pass-through settings, then what this consumer must have. */
    static Map<String, Object> consumerProps(AbstractConfig c) {
        Map<String, Object> props = new HashMap<>(c.originalsWithPrefix(CONSUMER_PREFIX));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(c));
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "eventlake-fraud-feedback");
        // Assigned partitions, no group: nothing to commit, every task reads everything.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    static Map<String, Object> converterProps(AbstractConfig c) {
        return new HashMap<>(c.originalsWithPrefix(CONVERTER_PREFIX));
    }

    static String converterClass(AbstractConfig c) {
        return c.getString(CONVERTER);
    }
}
