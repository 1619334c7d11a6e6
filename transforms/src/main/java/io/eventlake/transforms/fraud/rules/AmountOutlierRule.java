package io.eventlake.transforms.fraud.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;

/**
 * Fires when an amount is at or above the {@code quantile} of the amounts the task has seen in its currency, once it
 * has seen {@code minAmounts} of them: an amount few payments anywhere reach, whatever the card's own history, so a
 * card's first payment is judged as well as its hundredth. No near misses (ordinary amounts below the quantile add
 * nothing). State per task, not per key: per currency, a histogram of ln(amount) in 5 % steps whose counts halve
 * every {@code halfLifeMs} of event time; the quantile's step is found again every {@value #RECOMPUTE_EVERY}
 * amounts, so the verdicts depend on the order of events only, as every rule's. At most {@value #MAX_CURRENCIES}
 * currencies are kept (a client cannot grow the state by inventing currencies); an amount in another one is not
 * judged. An event without a positive amount is neither judged nor counted.
 */
public final class AmountOutlierRule extends Rule {

    public static final String NAME = "amount_outlier";
    static final int RECOMPUTE_EVERY = 256;
    static final int MAX_CURRENCIES = 64;
    private static final double STEP = Math.log(1.05);
    private static final double LOW = Math.log(0.01);
    private static final int BINS = (int) Math.ceil((Math.log(1e12) - LOW) / STEP) + 1;

    private final double tail;
    private final long minAmounts;
    private final long halfLifeMs;
    private final Map<Long, Histogram> byCurrency = new HashMap<>();
    /** The last currency's histogram: most streams have one currency, so most records skip the map (and a box). */
    private long lastCurrency;
    private Histogram last;

    /**
     * @param quantile the share of amounts below the threshold (0.999: the top thousandth fires)
     * @param minAmounts amounts of a currency seen before any is judged
     * @param halfLifeMs event time in which a past amount's weight halves
     */
    public AmountOutlierRule(double quantile, long minAmounts, long halfLifeMs, double weight) {
        super(NAME, weight, false);
        this.tail = 1 - quantile;
        this.minAmounts = minAmounts;
        this.halfLifeMs = halfLifeMs;
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.AMOUNT);
    }

    @Override
    public double apply(FraudEvent e) {
        if (!e.hasTime() || !e.hasAmount()) {
            return Double.NaN;
        }
        if (!(e.amount() > 0) || Double.isInfinite(e.amount())) {
            return 0;
        }
        long currency = e.currencyHash();
        Histogram h = last != null && lastCurrency == currency ? last : byCurrency.get(currency);
        if (h == null) {
            if (byCurrency.size() >= MAX_CURRENCIES) {
                return 0;
            }
            h = new Histogram();
            byCurrency.put(currency, h);
        }
        last = h;
        lastCurrency = currency;
        int bin = bin(e.lnAmount());
        double level = h.seen >= minAmounts && bin >= h.thresholdBin ? 1 + (bin - h.thresholdBin) * STEP : 0;
        h.add(bin, e.timeMs());
        return level;
    }

    @Override
    public void clear() {
        byCurrency.clear();
        last = null;
    }

    @Override
    public int keys() {
        return byCurrency.size();
    }

    private static int bin(double lnAmount) {
        return Math.max(0, Math.min(BINS - 1, (int) ((lnAmount - LOW) / STEP)));
    }

    /** Amounts of one currency by step of ln(amount), with halving weights. */
    private final class Histogram {
        final double[] counts = new double[BINS];
        double total;
        long seen;
        long halvedAt = Long.MIN_VALUE;
        /** The lowest step whose amounts are in the top share (none before the first recomputation). */
        int thresholdBin = BINS;

        void add(int bin, long timeMs) {
            if (halvedAt == Long.MIN_VALUE) {
                halvedAt = timeMs;
            }
            // Halve by event time; a late amount (before halvedAt) is counted at full weight, a small error.
            for (int n = 0; n < 64 && timeMs - halvedAt >= halfLifeMs; n++) {
                for (int i = 0; i < BINS; i++) {
                    counts[i] /= 2;
                }
                total /= 2;
                halvedAt += halfLifeMs;
            }
            if (timeMs - halvedAt >= halfLifeMs) {
                halvedAt = timeMs; // after 64 half-lives nothing of the past is left to halve
            }
            counts[bin]++;
            total++;
            seen++;
            if (seen % RECOMPUTE_EVERY == 0 || seen == minAmounts) {
                double above = 0;
                int b = BINS - 1;
                while (b > 0 && above + counts[b] <= tail * total) {
                    above += counts[b];
                    b--;
                }
                thresholdBin = b + 1;
            }
        }
    }
}
