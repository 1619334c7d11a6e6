package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Locale;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.state.AgedCount;
import io.eventlake.transforms.fraud.state.DecayedCount;
import io.eventlake.transforms.fraud.state.KeyHash;
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
 * With a {@code confidence} (the merchant rule's default) the strength added is instead the lower bound of the share's
 * confidence interval over the transactions ({@link ShareBound}), which needs no prior sized for some traffic: a quiet
 * merchant whose few known transactions are all fraud adds a high share at once, a busy one only a high share over
 * many. Whether the rule fires is still decided on the share with the prior (what {@code minShare} is a level of, and
 * what {@link ReportedRepeatRule} reads).
 *
 * <p>Delay-aware (the merchant rule): reports come days after their transactions, so the transactions of the last
 * days are mostly unconfirmed yet, frauds or not, and a share over all of them understates a merchant whose recent
 * transactions are all fraud by the whole delay (with reports a week late and a half-life of days, a compromised
 * terminal would never show). Delay-aware, a transaction counts under the share only as far as frauds of its age are
 * reported by now ({@link ReportDelays}, learned from the reports' own delays), and both counts are divided by the
 * largest weight a known transaction has, so the most recently known transactions count about once each and the
 * prior is in those units. Transactions are kept by age in buckets of {@value #BUCKET_MS} ms for
 * {@value #BUCKETS} buckets ({@link AgedCount}); older ones count as known.
 *
 * <p>State: per key of the events, a {@link DecayedCount} (delay-aware: an {@link AgedCount}) of transactions; per key
 * of the reports, up to {@value #REPORTS_PER_KEY} reports (event time, reported time, card), the oldest dropped first.
 * The transactions counted are those this task sees; every task reads every report, so with N tasks that own
 * disjoint cards (the generator's lanes) every report over one task's part of a merchant's traffic would overstate
 * the share about N times. The merchant rule therefore marks the cards it judges (in the cards' table), learns which
 * share of the reported cards are its own, and divides its transaction counts by that share: the share of the
 * merchant's whole traffic, estimated from this task's part, with every report counted (so {@code minReports} is
 * reached as with one task). With one task that share is 1. A report without a card does not count towards it.
 *
 * <p>Each share comes with a context ({@link #ageContext}): how long ago the key's oldest confirmed fraud that still
 * counts happened, in steps of days and weeks, so that the reports can calibrate a fresh wave of fraud apart from one
 * that has gone on for weeks (feedback.learn.shares).
 */
public final class FeedbackRule extends ShareRule {

    static final int REPORTS_PER_KEY = 64;
    private static final long DAY_MS = 24 * 60 * 60 * 1000L;
    /** Reports decided before {@link #ownShare} is used. */
    static final int MIN_DECIDED = 20;
    /** The width of a bucket of a key's transactions by age. */
    static final long BUCKET_MS = 12 * 60 * 60 * 1000L;
    /** Buckets of recent transactions per key (14 days); older ones count as known. */
    static final int BUCKETS = 28;
    /** Reports older than this many half-lives weigh under 1/64: dropped. */
    private static final int HORIZON_HALF_LIVES = 6;

    private final Role key;
    private final int minReports;
    private final double minShare;
    private final double priorTransactions;
    /** The normal quantile of the share's lower confidence bound; 0: the share with the prior instead. */
    private final double confidenceZ;
    private final double lnTwoOverHalfLife;
    private final long horizonMs;
    /** Transactions per key, when the share is not delay-aware. */
    private final KeyedStore<DecayedCount> traffic;
    /** Transactions per key by age, when the share is delay-aware. */
    private final KeyedStore<AgedCount> aged;
    private final KeyedStore<ReportTimes> reports;
    /** The reports' delays, when the share is delay-aware. */
    private final ReportDelays delays;
    /** The cards this task judged (merchant rule), to tell which reports are of its own transactions. */
    private final KeyedStore<Seen> cards;
    private final long[] hashed = new long[2];
    /** Reports whose card was decided ({@link #decide}), and of those, the ones of cards this task judged. */
    private long decided;
    private long decidedMine;
    private double lastLevel = Double.NaN;

    /** The kind of the reports' table: the reported keys of a role. */
    private record ReportKeys(Role role) {
    }

    /** A card this task has judged a transaction of (no state: its entry in the cards' table is the fact). */
    static final class Seen extends KeyedState {
    }

    /** Whether a report's card is one this task judged: not decided yet, yes (or no card in the report), no. */
    static final byte UNDECIDED = 0;
    static final byte MINE = 1;
    static final byte NOT_MINE = 2;

    /** The reports of one key, sorted by event time. */
    static final class ReportTimes extends KeyedState {
        final long[] eventTimes = new long[REPORTS_PER_KEY];
        final long[] reportedTimes = new long[REPORTS_PER_KEY];
        final long[] cardHashes = new long[REPORTS_PER_KEY];
        final long[] cardChecks = new long[REPORTS_PER_KEY];
        final byte[] mine = new byte[REPORTS_PER_KEY];
        int size;

        void add(long eventTime, long reportedTime, long cardHash, long cardCheck, byte owner) {
            int i = size;
            while (i > 0 && eventTimes[i - 1] > eventTime) {
                i--;
            }
            if (size == REPORTS_PER_KEY) {
                if (i == 0) {
                    return;
                }
                shift(1, 0, i - 1);
                i--;
            } else {
                shift(i, i + 1, size - i);
                size++;
            }
            eventTimes[i] = eventTime;
            reportedTimes[i] = reportedTime;
            cardHashes[i] = cardHash;
            cardChecks[i] = cardCheck;
            mine[i] = owner;
        }

        private void shift(int from, int to, int length) {
            System.arraycopy(eventTimes, from, eventTimes, to, length);
            System.arraycopy(reportedTimes, from, reportedTimes, to, length);
            System.arraycopy(cardHashes, from, cardHashes, to, length);
            System.arraycopy(cardChecks, from, cardChecks, to, length);
            System.arraycopy(mine, from, mine, to, length);
        }
    }

    public FeedbackRule(Role key, int minReports, double minShare, double priorTransactions, long halfLifeMs,
                        boolean delayAware, StateLimits limits, double weight) {
        this(key, minReports, minShare, priorTransactions, 0, halfLifeMs, delayAware, limits, weight);
    }

    /**
     * @param confidence when above 0, the strength added is the lower bound of the share's {@code confidence} interval
     *     (Wilson) over the transactions whose fate is known; whether the rule fires is still decided on the share
     *     with {@code priorTransactions}
     */
    public FeedbackRule(Role key, int minReports, double minShare, double priorTransactions, double confidence,
                        long halfLifeMs, boolean delayAware, StateLimits limits, double weight) {
        super(name(key), weight);
        this.confidenceZ = confidence > 0 ? ShareBound.z(confidence) : 0;
        this.key = key;
        this.minReports = minReports;
        this.minShare = minShare;
        this.priorTransactions = priorTransactions;
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.horizonMs = halfLifeMs * HORIZON_HALF_LIVES + (delayAware ? BUCKETS * BUCKET_MS : 0);
        this.traffic = delayAware ? null : limits.store(key, horizonMs, DecayedCount::new);
        this.aged = delayAware ? limits.store(key, horizonMs, () -> new AgedCount(BUCKETS)) : null;
        this.delays = delayAware ? new ReportDelays(BUCKETS, BUCKET_MS, lnTwoOverHalfLife) : null;
        this.cards = key == Role.CARD ? null : limits.store(Role.CARD, horizonMs, Seen::new);
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
    @Override
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
        byte owner = MINE;
        if (cards != null && r.card() != null) {
            KeyHash.of(r.card(), hashed, 0);
            owner = UNDECIDED;
        }
        reports.getWithoutAdvancing(k, r.eventTimeMs()).add(r.eventTimeMs(), r.reportedTimeMs(), hashed[0],
            hashed[1], owner);
        if (delays != null) {
            delays.add(r.eventTimeMs(), r.reportedTimeMs());
        }
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
        observe(0);
        Object k = e.get(key);
        if (k == null || !e.hasTime()) {
            return Double.NaN;
        }
        long t = e.timeMs();
        long h = e.hash(key);
        long c = e.check(key);
        if (cards != null && e.get(Role.CARD) != null) {
            cards.get(e.hash(Role.CARD), e.check(Role.CARD), t);
        }
        double transactions;
        double scale = 1;
        if (delays == null) {
            transactions = traffic.get(h, c, t).addAndGetBefore(t, lnTwoOverHalfLife) + 1;
        } else {
            delays.advance(t);
            scale = delays.peak();
            AgedCount count = aged.get(h, c, t);
            transactions = (count.weighed(t, BUCKET_MS, lnTwoOverHalfLife, delays.weights()) + delays.known()[0])
                / scale;
            count.add(t, BUCKET_MS, lnTwoOverHalfLife);
        }
        reports.advance(t);
        ReportTimes known = reports.peek(h, c);
        if (known == null) {
            return 0;
        }
        double confirmed = 0;
        int n = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < known.size; i++) {
            long eventTime = known.eventTimes[i];
            if (eventTime > t) {
                break;
            }
            if (known.reportedTimes[i] <= t && eventTime >= t - horizonMs) {
                confirmed += Math.exp(-(t - eventTime) * lnTwoOverHalfLife);
                n++;
                oldest = Math.min(oldest, eventTime);
                decide(known, i);
            }
        }
        double reported = confirmed / scale;
        double own = ownShare();
        double estimate = Math.min(1, reported / (transactions / own + priorTransactions));
        // The bound's sample is what this task saw: its own transactions, and the reports in its part (with N tasks
        // every report over a traffic estimated from a third of it would be as sure as one task over all of it).
        observe(confidenceZ > 0 ? ShareBound.lower(reported * own, transactions, confidenceZ) : estimate,
            n == 0 ? 0 : ageContext(t - oldest));
        return Math.min(n / (double) minReports, estimate / minShare);
    }

    /** The lower edges of the ages of a key's oldest confirmed fraud that tell its shares apart: 1, 3, 7, 14, 21 days. */
    private static final long[] AGE_EDGES = {DAY_MS, 3 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 21 * DAY_MS};

    /**
     * The context of a share: how long ago the key's oldest confirmed fraud still counted happened, 0 (under a day) to
     * 5 (3 weeks or more). A fresh wave of fraud at a merchant and one that has gone on for weeks can have the same
     * share and a different future; the reports tell which (feedback.learn.shares).
     */
    static int ageContext(long ageMs) {
        int c = 0;
        while (c < AGE_EDGES.length && ageMs >= AGE_EDGES[c]) {
            c++;
        }
        return c;
    }

    /**
     * Decides, the first time report {@code i} counts, whether it is of a card this task judged (its reported time is
     * past, so the card's transaction, days before, was judged by then if it was this task's), and counts it into
     * {@link #ownShare}.
     */
    private void decide(ReportTimes known, int i) {
        if (known.mine[i] == UNDECIDED) {
            boolean mine = cards.peek(known.cardHashes[i], known.cardChecks[i]) != null;
            known.mine[i] = mine ? MINE : NOT_MINE;
            decided++;
            decidedMine += mine ? 1 : 0;
        }
    }

    /**
     * The share of all transactions this task sees, estimated as the share of the reported cards it judged (1 until
     * {@value #MIN_DECIDED} reports are decided, or for the card rule): every task reads every report, but counts
     * only its own part of a merchant's transactions.
     */
    public double ownShare() {
        if (decided < MIN_DECIDED) {
            return 1;
        }
        return Math.max(1, decidedMine) / (double) decided;
    }



    @Override
    public void clear() {
        if (traffic != null) {
            traffic.clear();
        } else {
            aged.clear();
        }
        reports.clear();
        if (delays != null) {
            delays.clear();
        }
        decided = 0;
        decidedMine = 0;
    }

    @Override
    public int keys() {
        return traffic != null ? traffic.size() : aged.size();
    }
}
