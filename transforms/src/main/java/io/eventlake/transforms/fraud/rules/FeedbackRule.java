package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Locale;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.state.DecayedCount;
import io.eventlake.transforms.fraud.state.KeyedState;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Confirmed-fraud feedback: the share of a key's (a merchant's, a card's) recent transactions that fraud reports have
 * confirmed, as known at the event's time. A report counts for an event only when the event's time is at or after
 * the report's reported time, so a replay or a backfill never sees a report from its future, whenever the report was
 * read. Reports and transactions are weighted alike, halving every half-life of event time before the event; the
 * share is reports / (transactions + {@code priorTransactions}), the prior keeping a handful of transactions from
 * making a share of 1. The strength added to the score is the share itself (an observed fraud rate); the rule fires
 * (is listed in the reasons) when at least {@code minReports} reports and a share of {@code minShare} are reached.
 *
 * <p>State: per key of the events, a {@link DecayedCount} of transactions; per key of the reports, up to
 * {@value #REPORTS_PER_KEY} reports (event time, reported time), the oldest dropped first. The transactions counted
 * are those this task sees; reports are all reports. So the share is exact when one task sees every transaction of a
 * key (one task, or the topic keyed by this rule's key); if N tasks each see a part of a merchant's transactions, the
 * share is overstated up to N times.
 */
public final class FeedbackRule extends Rule {

    static final int REPORTS_PER_KEY = 64;
    /** Reports older than this many half-lives weigh under 1/64: dropped. */
    private static final int HORIZON_HALF_LIVES = 6;

    private final Role key;
    private final int minReports;
    private final double minShare;
    private final double priorTransactions;
    private final double lnTwoOverHalfLife;
    private final long horizonMs;
    private final KeyedStore<DecayedCount> traffic;
    private final KeyedStore<ReportTimes> reports;
    private double share;
    private double lastLevel = Double.NaN;

    /** The kind of the reports' table: the reported keys of a role. */
    private record ReportKeys(Role role) {
    }

    /** The reports of one key, sorted by event time. */
    static final class ReportTimes extends KeyedState {
        final long[] eventTimes = new long[REPORTS_PER_KEY];
        final long[] reportedTimes = new long[REPORTS_PER_KEY];
        int size;

        void add(long eventTime, long reportedTime) {
            int i = size;
            while (i > 0 && eventTimes[i - 1] > eventTime) {
                i--;
            }
            if (size == REPORTS_PER_KEY) {
                if (i == 0) {
                    return;
                }
                System.arraycopy(eventTimes, 1, eventTimes, 0, i - 1);
                System.arraycopy(reportedTimes, 1, reportedTimes, 0, i - 1);
                i--;
            } else {
                System.arraycopy(eventTimes, i, eventTimes, i + 1, size - i);
                System.arraycopy(reportedTimes, i, reportedTimes, i + 1, size - i);
                size++;
            }
            eventTimes[i] = eventTime;
            reportedTimes[i] = reportedTime;
        }
    }

    public FeedbackRule(Role key, int minReports, double minShare, double priorTransactions, long halfLifeMs,
                        StateLimits limits, double weight) {
        super(name(key), weight);
        this.key = key;
        this.minReports = minReports;
        this.minShare = minShare;
        this.priorTransactions = priorTransactions;
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.horizonMs = halfLifeMs * HORIZON_HALF_LIVES;
        this.traffic = limits.store(key, horizonMs, DecayedCount::new);
        // Reports have their own table: every task reads every report, of keys it may never see, and their times
        // must not move the event-time watermark of the keys' table.
        this.reports = limits.store(new ReportKeys(key), horizonMs, ReportTimes::new);
    }

    /** merchant_fraud_rate, card_fraud_rate... */
    public static String name(Role key) {
        return key.name().toLowerCase(Locale.ROOT) + "_fraud_rate";
    }

    public Role key() {
        return key;
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key));
    }

    /** Records a report (from the feedback consumer, on the task thread). */
    public void report(Report r) {
        Object k = switch (key) {
            case USER -> r.user();
            case CARD -> r.card();
            case MERCHANT -> r.merchant();
            case DEVICE -> null;
        };
        if (k == null) {
            return;
        }
        // The reports' table keeps the events' time, not the reports': how far ahead reports are read (a restarted
        // task reads them all at once) must not expire keys the events still need. A report already past the horizon
        // of the events judged so far can count for no later event: not stored.
        long watermark = reports.watermark();
        if (watermark != Long.MIN_VALUE && r.eventTimeMs() < watermark - horizonMs) {
            return;
        }
        reports.getWithoutAdvancing(k, r.eventTimeMs()).add(r.eventTimeMs(), r.reportedTimeMs());
    }

    @Override
    public double apply(FraudEvent e) {
        lastLevel = level(e);
        return lastLevel;
    }

    /** The level of the event just judged (NaN if it could not be judged). */
    double lastLevel() {
        return lastLevel;
    }

    private double level(FraudEvent e) {
        share = 0;
        Object k = e.get(key);
        if (k == null || !e.hasTime()) {
            return Double.NaN;
        }
        long t = e.timeMs();
        long h = e.hash(key);
        long c = e.check(key);
        DecayedCount count = traffic.get(h, c, t);
        double transactions = count.addAndGetBefore(t, lnTwoOverHalfLife) + 1;
        reports.advance(t);
        ReportTimes known = reports.peek(h, c);
        if (known == null) {
            return 0;
        }
        double confirmed = 0;
        int n = 0;
        for (int i = 0; i < known.size; i++) {
            long eventTime = known.eventTimes[i];
            if (eventTime > t) {
                break;
            }
            if (known.reportedTimes[i] <= t && eventTime >= t - horizonMs) {
                confirmed += Math.exp(-(t - eventTime) * lnTwoOverHalfLife);
                n++;
            }
        }
        share = Math.min(1, confirmed / (transactions + priorTransactions));
        return Math.min(n / (double) minReports, share / minShare);
    }

    /** The observed fraud rate of the last event judged, not a share of the weight. */
    @Override
    public double strength(double level) {
        return share;
    }

    /** The observed fraud rate, whatever else fired: it is an observation, not a near miss. */
    @Override
    public double uncorroboratedStrength(double level) {
        return share;
    }

    @Override
    public void clear() {
        traffic.clear();
        reports.clear();
    }

    @Override
    public int keys() {
        return traffic.size();
    }
}
