package io.eventlake.transforms.fraud.state;

/**
 * A key's mean amount with exponentially decaying weights in event time (half weight every {@code halfLifeMs}), so
 * that a profile follows slow changes in spending. Sums are kept relative to the latest event time seen, so adding a
 * late event gives the same sums as adding it in order: the mean does not depend on arrival order. It also remembers
 * the currency of its amounts (as a hash): amounts in another currency are not comparable without exchange rates.
 * Beside the mean, the mean and spread of ln(amount): how much the key's amounts usually vary. 72 bytes.
 */
public final class DecayedMean extends KeyedState {

    private long refMs = Long.MIN_VALUE;
    private double weight;
    private double sum;
    /** Weighted sums of ln(amount) and of its square over the positive amounts, and their weight. */
    private double logSum;
    private double logSquares;
    private double logWeight;
    private int count;
    /** Hash of the currency ({@link RecentValues#hash}), or {@link #NO_CURRENCY}: no reference to record data. */
    private long currency;

    /** The currency hash of amounts without a currency. */
    public static final long NO_CURRENCY = Long.MIN_VALUE;

    /** Number of amounts added since the profile started. */
    public int count() {
        return count;
    }

    /** The hash of the first amount's currency, or {@link #NO_CURRENCY}. */
    public long currency() {
        return currency;
    }

    /** The weighted mean, or NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / weight;
    }

    /** The weighted mean of ln(amount) over the positive amounts, or NaN when there is none. */
    public double logMean() {
        return logWeight == 0 ? Double.NaN : logSum / logWeight;
    }

    /** The weighted standard deviation of ln(amount) over the positive amounts, or NaN when there is none. */
    public double logDeviation() {
        if (logWeight == 0) {
            return Double.NaN;
        }
        double m = logSum / logWeight;
        return Math.sqrt(Math.max(0, logSquares / logWeight - m * m));
    }

    /** @param lnAmount ln(amount), NaN for an amount <= 0 (not counted in the log sums) */
    public void add(long timeMs, double amount, double lnAmount, long currency, double lnTwoOverHalfLife) {
        double w = 1;
        if (count == 0) {
            this.currency = currency;
            refMs = timeMs;
        } else if (timeMs >= refMs) {
            double decay = Math.exp(-(timeMs - refMs) * lnTwoOverHalfLife);
            weight *= decay;
            sum *= decay;
            logWeight *= decay;
            logSum *= decay;
            logSquares *= decay;
            refMs = timeMs;
        } else {
            w = Math.exp(-(refMs - timeMs) * lnTwoOverHalfLife);
        }
        weight += w;
        sum += w * amount;
        if (!Double.isNaN(lnAmount)) {
            logWeight += w;
            logSum += w * lnAmount;
            logSquares += w * lnAmount * lnAmount;
        }
        count++;
    }
}
