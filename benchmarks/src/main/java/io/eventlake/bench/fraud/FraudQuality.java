package io.eventlake.bench.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import io.eventlake.connect.source.generator.EventStream;
import io.eventlake.connect.source.generator.scenario.Draft;
import io.eventlake.connect.source.generator.scenario.FraudReports;
import io.eventlake.connect.source.generator.scenario.Mix;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;
import io.eventlake.connect.source.generator.scenario.TransactionsScenario;
import io.eventlake.transforms.fraud.FraudFlag;

/**
 * Measures the fraud transform at its defaults on labelled streams and prints the tables of doc/fraud.md:
 * (1) eventlake's generator ({@code transactions} scenario, its default fraud shares and reports, simulated event
 * time), (2) an independent simulator after the "Practical Handbook" and (3) one of mobile money after PaySim's
 * description (neither is real data). Each stream goes through the
 * SMT ({@link FraudFlag.Value#apply}) in event order, the fraud reports through {@link FraudFlag#offerReport}, the
 * consumer's own path, right after their transaction as the generator writes them (a report counts only from its
 * reported time, so feeding it early shows nothing of the future).
 *
 * <p>Options: {@code --days D} (generator days, 30), {@code --per-user-per-day N} (generator card use, 4),
 * {@code --users U} (10000), {@code --warmup-days W} (events of the first W days pass through but are not scored,
 * 2), {@code --seed S} (42), {@code --handbook-days D} (183), {@code --only generator|handbook|mobile}, {@code --mobile-clients N} (20000), {@code --smt
 * key=value,...} (SMT settings over the defaults, to measure another setting; the published tables use none;
 * {@code feedback.topic=} runs the simulator without reports).
 */
public final class FraudQuality {

    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;
    private static final int LANES = 16;
    /** Late events as the generator's defaults: 2 % of events, up to 5 minutes behind. */
    private static final double LATE_SHARE = 0.02;
    private static final long LATE_MAX_MS = 300_000;

    /** SMT settings given with --smt, over the defaults. */
    private static final Map<String, String> OVERRIDES = new TreeMap<>();

    private FraudQuality() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String only = opts.getOrDefault("only", "");
        for (String kv : opts.getOrDefault("smt", "").split(",")) {
            if (kv.contains("=")) {
                OVERRIDES.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        if (only.isEmpty() || only.equals("generator")) {
            int days = Integer.parseInt(opts.getOrDefault("days", "30"));
            double perUserPerDay = Double.parseDouble(opts.getOrDefault("per-user-per-day", "4"));
            int users = Integer.parseInt(opts.getOrDefault("users", "10000"));
            int warmup = Integer.parseInt(opts.getOrDefault("warmup-days", "2"));
            System.out.println(generator(seed, users, days, perUserPerDay, warmup));
        }
        if (only.isEmpty() || only.equals("handbook")) {
            int days = Integer.parseInt(opts.getOrDefault("handbook-days", "183"));
            int warmup = Integer.parseInt(opts.getOrDefault("warmup-days", "2"));
            System.out.println(handbook(seed, days, warmup));
        }
        if (only.isEmpty() || only.equals("mobile")) {
            int clients = Integer.parseInt(opts.getOrDefault("mobile-clients", "20000"));
            int warmup = Integer.parseInt(opts.getOrDefault("warmup-days", "2"));
            System.out.println(mobile(seed, clients, 30, warmup));
        }
    }

    /** The SMT settings used for the generator: the defaults, plus the reports topic (no consumer). */
    static Map<String, String> generatorSettings() {
        Map<String, String> c = new TreeMap<>();
        c.put("feedback.topic", "fraud-reports");
        c.putAll(OVERRIDES);
        return c;
    }

    static String generator(long seed, int users, int days, double perUserPerDay, int warmupDays) {
        ScenarioSettings defaults = ScenarioSettings.defaults(seed);
        ScenarioSettings settings = new ScenarioSettings(seed, users, defaults.devices(), defaults.products(), true,
            defaults.fraudShares(), defaults.reportShare(), defaults.reportDelayMinMs(), defaults.reportDelayMaxMs());
        EventStream stream = new EventStream(Scenarios.create(TransactionsScenario.NAME, settings), seed, LANES);
        double eventsPerSecond = users * perUserPerDay / 86_400.0;
        long events = (long) (eventsPerSecond * 86_400 * days);
        Map<String, String> config = generatorSettings();
        Evaluation eval = new Evaluation();
        long started = System.nanoTime();
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(config);
            for (long seq = 0; seq < events; seq++) {
                long base = START + (long) (seq * 1000.0 / eventsPerSecond);
                Draft draft = stream.draftOnClock(seq, q -> START + (long) (q * 1000.0 / eventsPerSecond),
                    lateness(seed, seq));
                long time = ((java.util.Date) draft.value().get("event_time")).getTime();
                Struct value = draft.value();
                SourceRecord out = smt.apply(new SourceRecord(null, null, "transactions", null, Schema.STRING_SCHEMA,
                    draft.key(), value.schema(), value, base));
                if (draft.reportDelayMs() >= 0) {
                    smt.offerReport(FraudReports.of(value, stream.id(seq) + "-report", time + draft.reportDelayMs()));
                }
                if (time >= START + warmupDays * DAY) {
                    Struct v = (Struct) out.value();
                    eval.add(v.getFloat64("fraud_score"), v.getBoolean("fraud_flagged"), value.getBoolean("fraud_label"),
                        value.getString("fraud_pattern"), v.getArray("fraud_reasons"));
                }
            }
            printLearned(smt);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format(Locale.ROOT, "## eventlake generator, transactions scenario%n%n"
                + "Generator: seed %d, %,d users, default fraud shares (0.003 per pattern), reports for 70 %% of "
                + "frauds 1-10 days later, %d sequence lanes, simulated event time from %s at %.3f events/s (%.1f "
                + "card payments per user per day), %d days, %,d events; 2 %% of events up to 5 min late. "
                + "SMT: defaults + %s. Scored: events after the first %d days (%,d).%n%n%s%n"
                + "(%.1f s, %.0f events/s through the SMT and the generator)%n",
            seed, users, LANES, Instant.ofEpochMilli(START), eventsPerSecond, perUserPerDay, days, events, config,
            warmupDays, eval.size(), eval.report(), seconds, events / seconds);
    }

    /** Lateness of the bench's late events: a pure function of seed and sequence. */
    private static long lateness(long seed, long seq) {
        long h = Mix.mix(seed, 0x4C415445L, seq);
        return Mix.unit(h) < LATE_SHARE ? 1 + Long.remainderUnsigned(Mix.mix(h), LATE_MAX_MS) : 0;
    }

    /** The SMT settings for the handbook simulator's fields; rules without their fields are off. */
    static Map<String, String> handbookSettings() {
        Map<String, String> c = new TreeMap<>();
        c.put("field.timestamp", "tx_datetime");
        c.put("field.user", "customer_id");
        c.put("field.card", "customer_id");
        c.put("field.merchant", "terminal_id");
        c.put("field.amount", "tx_amount");
        c.put("field.currency", "");
        c.put("field.latitude", "");
        c.put("field.longitude", "");
        c.put("field.country", "");
        c.put("field.device", "");
        c.put("travel.enabled", "false");
        c.put("distinct.enabled", "false");
        c.put("new.device.enabled", "false");
        c.put("feedback.topic", "fraud-reports");
        c.put("feedback.field.user", "customer_id");
        c.put("feedback.field.card", "customer_id");
        c.put("feedback.field.merchant", "terminal_id");
        c.put("feedback.field.amount", "tx_amount");
        c.putAll(OVERRIDES);
        return c;
    }

    static String handbook(long seed, int days, int warmupDays) {
        HandbookSimulator sim = new HandbookSimulator(5000, 10_000, days, 5, START, seed);
        List<HandbookSimulator.Transaction> txs = sim.generate();
        Map<String, String> config = handbookSettings();
        List<Labelled> events = new ArrayList<>(txs.size());
        for (HandbookSimulator.Transaction t : txs) {
            Map<String, Object> value = new HashMap<>();
            value.put("transaction_id", t.id());
            value.put("tx_datetime", t.timeMs());
            value.put("customer_id", Integer.toString(t.customer()));
            value.put("terminal_id", Integer.toString(t.terminal()));
            value.put("tx_amount", t.amount());
            events.add(new Labelled(t.timeMs(), value, Integer.toString(t.customer()), t.amount(),
                t.fraud() ? "scenario_" + t.scenario() : null, Map.of("customer_id", value.get("customer_id"),
                    "terminal_id", value.get("terminal_id"), "tx_amount", t.amount())));
        }
        Evaluation eval = new Evaluation();
        Baselines baselines = new Baselines();
        double[] scores = new double[events.size()];
        judge("handbook", config, events, warmupDays, eval, baselines, scores);
        String trained = days >= LOGISTIC_TEST_FROM_DAY + 7 ? logistic(txs, scores) : "";
        return String.format(Locale.ROOT, "## Independent simulator (after the Practical Handbook), not real data%n%n"
                + "Simulator: seed %d, 5,000 customers, 10,000 terminals on a 100 x 100 grid, r = 5, %d days, %,d "
                + "transactions; every fraud reported 7 days after it (the book's feedback delay). Mapping: "
                + "customer -> user and card, terminal -> merchant, no currency, no coordinates (grid units are not "
                + "degrees), no device: impossible_travel, many_devices and new_device cannot apply. "
                + "SMT: defaults + %s. Scored: events after the first %d days (%,d).%n%n%s%n%s",
            seed, days, txs.size(), config, warmupDays, eval.size(), eval.report(), baselines.report() + trained);
    }

    /** The trained baseline's days: fitted on days 30-59 (30 days of history first), tested from day 67. */
    private static final int LOGISTIC_TRAIN_FROM_DAY = 30;
    private static final int LOGISTIC_TRAIN_TO_DAY = 60;
    private static final int LOGISTIC_TEST_FROM_DAY = 67;

    /**
     * The Practical Handbook's trained baseline on the same stream ({@link HandbookLogistic}): fitted with the labels
     * of days 30-59, which are all known by day 67 (7 days of feedback delay), and scored on days 67 to the end, next
     * to the transform's scores of the same transactions. The transform learns nothing from those labels but what the
     * reports tell it as they arrive.
     */
    private static String logistic(List<HandbookSimulator.Transaction> txs, double[] transformScores) {
        double[][] x = HandbookLogistic.features(txs, 7 * DAY);
        int n = txs.size();
        boolean[] y = new boolean[n];
        boolean[] train = new boolean[n];
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long day = (txs.get(i).timeMs() - START) / DAY;
            y[i] = txs.get(i).fraud();
            train[i] = day >= LOGISTIC_TRAIN_FROM_DAY && day < LOGISTIC_TRAIN_TO_DAY;
            if (day >= LOGISTIC_TEST_FROM_DAY) {
                test.add(i);
            }
        }
        HandbookLogistic.Model model = HandbookLogistic.fit(x, y, train);
        double[] lr = new double[test.size()];
        double[] smt = new double[test.size()];
        boolean[] labels = new boolean[test.size()];
        for (int k = 0; k < test.size(); k++) {
            int i = test.get(k);
            lr[k] = model.score(x[i]);
            smt[k] = transformScores[i];
            labels[k] = y[i];
        }
        StringBuilder scenarios = new StringBuilder();
        for (int scenario = 1; scenario <= 3; scenario++) {
            List<Integer> slice = new ArrayList<>();
            for (int k = 0; k < test.size(); k++) {
                HandbookSimulator.Transaction t = txs.get(test.get(k));
                if (!t.fraud() || t.scenario() == scenario) {
                    slice.add(k);
                }
            }
            double[] a = new double[slice.size()];
            double[] b = new double[slice.size()];
            boolean[] l = new boolean[slice.size()];
            for (int j = 0; j < slice.size(); j++) {
                a[j] = lr[slice.get(j)];
                b[j] = smt[slice.get(j)];
                l[j] = labels[slice.get(j)];
            }
            scenarios.append(String.format(Locale.ROOT, "%s scenario_%d %.3f against %.3f", scenario == 1 ? "" : ";",
                scenario, Metrics.averagePrecision(a, l), Metrics.averagePrecision(b, l)));
        }
        return String.format(Locale.ROOT, "The book's trained baseline, a logistic regression over its 15 features "
                + "(HandbookLogistic), fitted on days %d-%d with their labels and tested on days %d-end (%,d "
                + "transactions): average precision %.3f, ROC AUC %.3f; the transform on the same transactions: "
                + "%.3f, %.3f.%nPer scenario (its frauds against every legitimate transaction), average precision of "
                + "the logistic regression against the transform's:%s.%nFitted: %s.%n", LOGISTIC_TRAIN_FROM_DAY,
            LOGISTIC_TRAIN_TO_DAY - 1, LOGISTIC_TEST_FROM_DAY, test.size(), Metrics.averagePrecision(lr, labels),
            Metrics.rocAuc(lr, labels), Metrics.averagePrecision(smt, labels), Metrics.rocAuc(smt, labels), scenarios,
            model.describe());
    }

    /**
     * An event of an independent stream: its value for the SMT, its card (for the baselines), its fraud pattern (null
     * when legitimate) and the fields a fraud report of it carries besides its times.
     */
    private record Labelled(long timeMs, Map<String, Object> value, String card, double amount, String pattern,
        Map<String, Object> reportKeys) {
    }

    /**
     * Feeds the events through the SMT in order; every fraud is reported 7 days after it (when the config has a
     * reports topic), right after its transaction. Events after the warm-up are scored.
     */
    private static void judge(String topic, Map<String, String> config, List<Labelled> events, int warmupDays,
        Evaluation eval, Baselines baselines) {
        judge(topic, config, events, warmupDays, eval, baselines, null);
    }

    /** As above, keeping every event's score in {@code scores} (by the event's index) when it is not null. */
    private static void judge(String topic, Map<String, String> config, List<Labelled> events, int warmupDays,
        Evaluation eval, Baselines baselines, double[] scores) {
        long reportDelay = 7 * DAY;
        boolean reports = !config.getOrDefault("feedback.topic", "").isEmpty();
        try (FraudFlag.Value<SourceRecord> smt = new FraudFlag.Value<>()) {
            smt.configure(config);
            for (int index = 0; index < events.size(); index++) {
                Labelled e = events.get(index);
                boolean fraud = e.pattern() != null;
                SourceRecord out = smt.apply(new SourceRecord(null, null, topic, null, null, null, null, e.value(),
                    e.timeMs()));
                if (scores != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> v = (Map<String, Object>) out.value();
                    scores[index] = (Double) v.get("fraud_score");
                }
                if (fraud && reports) {
                    Map<String, Object> report = new HashMap<>(e.reportKeys());
                    report.put("event_time", new Date(e.timeMs()));
                    report.put("reported_time", new Date(e.timeMs() + reportDelay));
                    smt.offerReport(report);
                }
                boolean scored = e.timeMs() >= START + warmupDays * DAY;
                baselines.add(e.card(), e.amount(), fraud, scored);
                if (scored) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> v = (Map<String, Object>) out.value();
                    @SuppressWarnings("unchecked")
                    List<String> reasons = (List<String>) v.get("fraud_reasons");
                    eval.add((Double) v.get("fraud_score"), (Boolean) v.get("fraud_flagged"), fraud, e.pattern(),
                        reasons);
                }
            }
            printLearned(smt);
        }
    }

    /** The weights the reports raised by the end of a stream (feedback.learn.weights), on standard error. */
    private static void printLearned(FraudFlag.Value<SourceRecord> smt) {
        String learned = smt.detector().learnedWeights();
        if (!learned.isEmpty()) {
            System.err.println("Learned weights at the end: " + learned);
        }
    }

    /** The SMT settings for the mobile money simulator's fields: the handbook's, with account names. */
    static Map<String, String> mobileSettings() {
        Map<String, String> c = handbookSettings();
        c.put("field.timestamp", "step_time");
        c.put("field.user", "name_orig");
        c.put("field.card", "name_orig");
        c.put("field.merchant", "name_dest");
        c.put("field.amount", "amount");
        c.put("feedback.field.user", "name_orig");
        c.put("feedback.field.card", "name_orig");
        c.put("feedback.field.merchant", "name_dest");
        c.put("feedback.field.amount", "amount");
        c.putAll(OVERRIDES);
        return c;
    }

    static String mobile(long seed, int clients, int days, int warmupDays) {
        List<MobileMoneySimulator.Transaction> txs = new MobileMoneySimulator(clients, days, START, seed).generate();
        Map<String, String> config = mobileSettings();
        List<Labelled> events = new ArrayList<>(txs.size());
        for (MobileMoneySimulator.Transaction t : txs) {
            Map<String, Object> value = new HashMap<>();
            value.put("transaction_id", t.id());
            value.put("step_time", t.timeMs());
            value.put("type", t.type());
            value.put("name_orig", t.origin());
            value.put("name_dest", t.destination());
            value.put("amount", t.amount());
            events.add(new Labelled(t.timeMs(), value, t.origin(), t.amount(), t.pattern(),
                Map.of("name_orig", t.origin(), "name_dest", t.destination(), "amount", t.amount())));
        }
        Evaluation eval = new Evaluation();
        Baselines baselines = new Baselines();
        judge("mobile", config, events, warmupDays, eval, baselines);
        return String.format(Locale.ROOT, "## Mobile money simulator (after PaySim's description), not real data%n%n"
                + "Simulator: seed %d, %,d clients, %d days, %,d transactions (cash-in, cash-out, payment, transfer, "
                + "debit); account takeovers emptied by a transfer to a mule that cashes out within the hour; every "
                + "fraud reported 7 days after it. Mapping: origin account -> user and card, destination -> merchant, "
                + "no currency, coordinates or device. SMT: defaults + %s. Scored: events after the first %d days "
                + "(%,d).%n%n%s%n%s",
            seed, clients, days, txs.size(), config, warmupDays, eval.size(), eval.report(), baselines.report());
    }

}
