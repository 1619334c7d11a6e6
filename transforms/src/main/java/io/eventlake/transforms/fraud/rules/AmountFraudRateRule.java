package io.eventlake.transforms.fraud.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.DoubleSupplier;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.feedback.Report;
import io.eventlake.transforms.fraud.state.AgedCount;
import io.eventlake.transforms.fraud.state.DecayedMean;
import io.eventlake.transforms.fraud.state.RecentValues;

/**
 * Confirmed-fraud share by amount: the share of the payments of an amount band (a fixed fraction of an octave of the
 * amount, per currency) that fraud reports have confirmed, as known at the event's time. Which amounts fraud takes is
 * learned from the reports, the way {@code merchant_fraud_rate} learns which merchants: no amount level is configured,
 * so it holds for any currency and price range, and a stream whose frauds are not of particular amounts shows no
 * band above its neighbours.
 *
 * <p>The share is taken as {@code merchant_fraud_rate}'s is: delay-aware (a band's recent payments count only as far as
 * frauds of their age are reported by now, learned from the reports' own delays, {@link ReportDelays}), reports and
 * payments halving every half-life of event time, and the evidence added is the lower bound of the share's
 * confidence interval ({@link ShareBound}): a band needs many confirmed frauds among its payments before it adds much.
 * No evidence until a band has {@code minReports} reports; the rule fires (is listed in the reasons) when the bound
 * reaches {@code minShare}. A report counts only for events at or after its reported time, whenever it was read, so a
 * replay or a restart scores alike. With several tasks (or input partitions), each sees only its part of a band's
 * payments but reads every report: the payments are scaled by {@code ownShare}, the task's share of the reported cards
 * that {@code merchant_fraud_rate} learns (1 without that rule).
 *
 * <p>State per task, not per key: per currency (at most {@value #MAX_CURRENCIES}, as {@link AmountOutlierRule}), per band
 * of ln(amount) from 0.01 to 10^12, a count of payments by age ({@link AgedCount}, about 150 bytes) and a decayed count
 * of reports; and the reports read but not reported yet in event time (32 bytes each). An event without a positive
 * amount is neither judged nor counted.
 */
public final class AmountFraudRateRule extends ShareRule {

    public static final String NAME = "amount_fraud_rate";
    static final int MAX_CURRENCIES = 64;
    private static final double LOW = Math.log(0.01);
    private static final double HIGH = Math.log(1e12);

    private final double bandsPerLn;
    private final int bandCount;
    private final int minReports;
    private final double minShare;
    private final double confidenceZ;
    private final double lnTwoOverHalfLife;
    private final long horizonMs;
    private final DoubleSupplier ownShare;
    private final ReportDelays delays;
    private final Map<Long, Bands> byCurrency = new HashMap<>();
    /** Reports read, by reported time: {reported time, event time, currency hash, band}. */
    private final PriorityQueue<long[]> pending = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private long lastCurrency;
    private Bands last;
    private long latestMs = Long.MIN_VALUE;

    /** The bands of one currency. */
    private final class Bands {
        final AgedCount[] payments = new AgedCount[bandCount];
        final double[] confirmed = new double[bandCount];
        final long[] confirmedAt = new long[bandCount];
        final int[] reports = new int[bandCount];
    }

    /**
     * @param bandsPerOctave bands per doubling of the amount
     * @param minReports reports a band needs before it adds evidence
     * @param minShare the share's lower bound at which the rule fires
     * @param confidence the level of the share's lower confidence bound
     * @param halfLifeMs event time in which a payment's or a report's weight halves
     * @param ownShare the share of every reported card's payments this task sees
     */
    public AmountFraudRateRule(int bandsPerOctave, int minReports, double minShare, double confidence,
                               long halfLifeMs, DoubleSupplier ownShare, double weight) {
        super(NAME, weight);
        this.bandsPerLn = bandsPerOctave / Math.log(2);
        this.bandCount = (int) Math.ceil((HIGH - LOW) * bandsPerLn) + 1;
        this.minReports = minReports;
        this.minShare = minShare;
        this.confidenceZ = ShareBound.z(confidence);
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.horizonMs = halfLifeMs * 6 + FeedbackRule.BUCKETS * FeedbackRule.BUCKET_MS;
        this.ownShare = ownShare;
        this.delays = new ReportDelays(FeedbackRule.BUCKETS, FeedbackRule.BUCKET_MS, lnTwoOverHalfLife);
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.AMOUNT);
    }

    @Override
    public void report(Report r) {
        if (!(r.amount() > 0) || Double.isInfinite(r.amount())) {
            return;
        }
        if (latestMs != Long.MIN_VALUE && r.eventTimeMs() < latestMs - horizonMs) {
            return; // weighs under 1/64 for every event still to come
        }
        long currency = r.currency() == null ? DecayedMean.NO_CURRENCY : RecentValues.hash(r.currency());
        pending.add(new long[] {r.reportedTimeMs(), r.eventTimeMs(), currency, band(Math.log(r.amount()))});
        delays.add(r.eventTimeMs(), r.reportedTimeMs());
    }

    @Override
    public double apply(FraudEvent e) {
        observe(0);
        if (!e.hasTime() || !e.hasAmount()) {
            return Double.NaN;
        }
        long t = e.timeMs();
        latestMs = Math.max(latestMs, t);
        release(t);
        if (!(e.amount() > 0) || Double.isInfinite(e.amount())) {
            return 0;
        }
        Bands bands = bands(e.currencyHash());
        if (bands == null) {
            return 0;
        }
        int b = band(e.lnAmount());
        AgedCount count = bands.payments[b];
        if (count == null) {
            count = new AgedCount(FeedbackRule.BUCKETS);
            bands.payments[b] = count;
        }
        if (bands.reports[b] < minReports) {
            count.add(t, FeedbackRule.BUCKET_MS, lnTwoOverHalfLife); // most bands: nothing to weigh
            return 0;
        }
        delays.advance(t);
        double scale = delays.peak();
        double payments = (count.weighed(t, FeedbackRule.BUCKET_MS, lnTwoOverHalfLife, delays.weights())
            + delays.known()[0]) / scale;
        count.add(t, FeedbackRule.BUCKET_MS, lnTwoOverHalfLife);
        double reported = bands.confirmed[b] * Math.exp(-(t - bands.confirmedAt[b]) * lnTwoOverHalfLife) / scale;
        // The bound's sample is this task's: its payments, and the reports in its part.
        double bound = ShareBound.lower(reported * ownShare.getAsDouble(), payments, confidenceZ);
        observe(bound);
        return bound / minShare;
    }

    /** Counts the reports reported by {@code t} into their bands, each weighed by its transaction's age at t. */
    private void release(long t) {
        while (!pending.isEmpty() && pending.peek()[0] <= t) {
            long[] r = pending.poll();
            if (r[1] < t - horizonMs) {
                continue;
            }
            Bands bands = bands(r[2]);
            if (bands == null) {
                continue;
            }
            int b = (int) r[3];
            double at = bands.reports[b] == 0 ? 0
                : bands.confirmed[b] * Math.exp(-(t - bands.confirmedAt[b]) * lnTwoOverHalfLife);
            bands.confirmed[b] = at + Math.exp(-Math.max(0, t - r[1]) * lnTwoOverHalfLife);
            bands.confirmedAt[b] = t;
            bands.reports[b]++;
        }
    }

    private Bands bands(long currency) {
        if (last != null && lastCurrency == currency) {
            return last;
        }
        Bands bands = byCurrency.get(currency);
        if (bands == null) {
            if (byCurrency.size() >= MAX_CURRENCIES) {
                return null;
            }
            bands = new Bands();
            byCurrency.put(currency, bands);
        }
        last = bands;
        lastCurrency = currency;
        return bands;
    }

    int band(double lnAmount) {
        return (int) Math.max(0, Math.min(bandCount - 1, Math.floor((lnAmount - LOW) * bandsPerLn)));
    }



    @Override
    public void clear() {
        byCurrency.clear();
        pending.clear();
        delays.clear();
        last = null;
        latestMs = Long.MIN_VALUE;
    }

    @Override
    public int keys() {
        return byCurrency.size();
    }
}
