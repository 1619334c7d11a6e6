package io.eventlake.transforms.fraud;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.feedback.ReportInbox;
import io.eventlake.transforms.fraud.rules.Rule;
import io.eventlake.transforms.fraud.rules.ShareRule;

/**
 * Judges records: reads the configured fields, runs every rule (each judges against its state, then records the
 * event) and combines them into a score. The score is a noisy-OR, {@code 1 - prod(1 - weight_i * strength_i)}: each
 * rule is independent evidence that the record is fraud with probability weight x strength, so the score rises with
 * every rule that fires, never falls when one more fires, and stays in [0, 1]. A rule below its threshold carries
 * {@link Rule#strength} of its level when another rule fired on the record, else {@link Rule#uncorroboratedStrength}
 * (damped), so ordinary near misses do not lift a record above one with real evidence. The record is flagged when
 * the score reaches the threshold. With {@link LearnedWeights}, a rule's weight is raised to what the confirmed reports
 * show its firings to be worth (never lowered), and a confirmed share ({@link ShareRule}) to the fraud rate the reports
 * show for shares of its size and context (never lowered). Reports queued in the inbox are applied before each record, on the caller's thread, which
 * is the only thread that touches rule state. Not thread-safe: one instance per task.
 */
public final class FraudDetector {

    private final EventFields fields;
    private final Rule[] rules;
    /** The levels of the record being judged, one per rule (NaN: could not judge). */
    private final double[] levels;
    /** The rules that take reports in. */
    private final ShareRule[] shareRules;
    private final double threshold;
    private final boolean failOnMissing;
    private final ReportInbox inbox;
    private final Consumer<Report> reportSink = this::accept;
    private final FraudEvent event = new FraudEvent();
    private final Verdict verdict;
    /** The verdict handed back for a record judged before ({@link #replayed}). */
    private final Verdict replayed;
    /** Weights raised by the reports; null when not learning (no feedback, or switched off). */
    private final LearnedWeights learned;
    /** The strengths of the record being judged, one per rule, for {@link #learned}. */
    private final double[] strengths;
    /** The share contexts of the record being judged ({@link ShareRule#context()}), one per rule (0 for others). */
    private final int[] contexts;
    /** Which rules are shares. */
    private final ShareRule[] shares;

    /**
     * @param inbox where reports arrive; null when no feedback is configured
     */
    public FraudDetector(EventFields fields, List<Rule> rules, double threshold, boolean failOnMissing,
                         ReportInbox inbox) {
        this(fields, rules, threshold, failOnMissing, inbox, null);
    }

    /**
     * @param inbox where reports arrive; null when no feedback is configured
     * @param learning how weights are learned from the reports (needs an inbox); null: the rules' own weights
     */
    FraudDetector(EventFields fields, List<Rule> rules, double threshold, boolean failOnMissing, ReportInbox inbox,
                  Learning learning) {
        this.fields = fields;
        this.rules = rules.toArray(Rule[]::new);
        this.levels = new double[this.rules.length];
        this.shareRules = rules.stream().filter(ShareRule.class::isInstance).map(ShareRule.class::cast)
            .toArray(ShareRule[]::new);
        this.threshold = threshold;
        this.failOnMissing = failOnMissing;
        this.inbox = inbox;
        ReasonLists reasons = new ReasonLists(rules.stream().map(Rule::name).toList());
        this.verdict = new Verdict(reasons);
        this.replayed = new Verdict(reasons);
        this.strengths = new double[this.rules.length];
        this.contexts = new int[this.rules.length];
        this.shares = new ShareRule[this.rules.length];
        for (int i = 0; i < this.rules.length; i++) {
            shares[i] = this.rules[i] instanceof ShareRule share ? share : null;
        }
        double[] defaults = new double[this.rules.length];
        boolean[] thresholdRules = new boolean[this.rules.length];
        for (int i = 0; i < this.rules.length; i++) {
            defaults[i] = this.rules[i].weight();
            thresholdRules[i] = shares[i] == null;
        }
        this.learned = learning == null || inbox == null ? null
            : new LearnedWeights(defaults, thresholdRules, learning.priorFirings(), learning.maxFired(),
                learning.matchMs(), learning.calibrateShares());
    }

    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        for (Rule r : rules) {
            names.add(r.name());
        }
        return names;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }

    /**
     * The verdict a record got when it was judged before (a sink's replay), rebuilt without touching any state. The
     * returned verdict is reused by the next call.
     */
    Verdict replayed(double score, int fired, boolean flagged) {
        replayed.score = score;
        replayed.fired = fired;
        replayed.flagged = flagged;
        return replayed;
    }

    /** Judges a Struct or Map value. The returned verdict is reused by the next call. */
    public Verdict judge(Object value) {
        fields.read(value, event);
        return judge(event);
    }

    /** Judges an event already extracted (tests, offline tools). The returned verdict is reused by the next call. */
    public Verdict judge(FraudEvent e) {
        drainReports();
        if (learned != null && e.hasTime()) {
            learned.advance(e.timeMs());
        }
        int fired = 0;
        for (int i = 0; i < rules.length; i++) {
            Rule rule = rules[i];
            double level = rule.apply(e);
            if (Double.isNaN(level) && failOnMissing) {
                throw new MissingFieldException(rule, missing(rule, e));
            }
            levels[i] = level;
            if (level >= 1) {
                fired |= 1 << i;
            }
        }
        double notFraud = 1;
        for (int i = 0; i < rules.length; i++) {
            double level = levels[i];
            if (Double.isNaN(level)) {
                strengths[i] = 0;
            } else {
                Rule rule = rules[i];
                double strength = Math.min(1, fired != 0 ? rule.strength(level) : rule.uncorroboratedStrength(level));
                strengths[i] = strength;
                contexts[i] = shares[i] != null ? shares[i].context() : 0;
                notFraud *= learned != null ? 1 - learned.weight(i) * learned.strength(i, strength, contexts[i])
                    : 1 - rule.weight() * strength;
            }
        }
        verdict.score = 1 - notFraud;
        verdict.flagged = verdict.score >= threshold;
        verdict.fired = fired;
        if (learned != null && e.hasTime() && e.get(Role.CARD) != null) {
            learned.record(e.hash(Role.CARD), e.check(Role.CARD), e.timeMs(), fired, strengths, contexts);
        }
        return verdict;
    }

    private Input missing(Rule rule, FraudEvent e) {
        for (Input input : rule.needs()) {
            if (!EventFields.present(e, input)) {
                return input;
            }
        }
        return rule.needs().get(0);
    }

    /**
     * Queues a decoded fraud report value as the feedback consumer does, on the caller's (task) thread: offline
     * evaluations and tests feed reports through here. Drains the inbox when it is full, so it never blocks.
     */
    public void offerReport(Object reportValue) {
        if (inbox == null) {
            throw new IllegalStateException("no feedback rule is enabled");
        }
        inbox.offerOnTaskThread(reportValue, this::drainReports);
    }

    /** Applies the queued reports to the feedback rules. */
    public void drainReports() {
        if (inbox != null) {
            inbox.drainTo(reportSink);
        }
    }

    /** Applies one report to the feedback rules and the learned weights, on the task thread. */
    void accept(Report r) {
        for (ShareRule rule : shareRules) {
            rule.report(r);
        }
        if (learned != null) {
            learned.report(r);
        }
    }

    /** The weights in use and what the reports confirmed of each rule's firings; empty when not learning. */
    public String learnedWeights() {
        return learned == null ? "" : learned.describe(ruleNames());
    }

    public ReportInbox inbox() {
        return inbox;
    }

    public EventFields fields() {
        return fields;
    }

    /** Drops all rule state. */
    public void clear() {
        for (Rule r : rules) {
            r.clear();
        }
        if (learned != null) {
            learned.clear();
        }
    }

    /** How rule weights are learned from the reports: {@code feedback.learn.*}. */
    record Learning(double priorFirings, int maxFired, long matchMs, boolean calibrateShares) {

        Learning(double priorFirings, int maxFired, long matchMs) {
            this(priorFirings, maxFired, matchMs, false);
        }
    }

    /** A rule could not judge a record because a field it needs is missing, and missing fields are errors. */
    public static final class MissingFieldException extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient Input input;

        MissingFieldException(Rule rule, Input input) {
            super("rule " + rule.name() + " needs " + input.configKey() + ", which is missing or not usable");
            this.input = input;
        }

        public Input input() {
            return input;
        }
    }
}
