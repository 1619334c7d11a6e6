package io.eventlake.transforms.fraud.state;

/**
 * A key's mean amount with exponentially decaying weights in event time (half weight every {@code halfLifeMs}), so
 * that a profile follows slow changes in spending. Sums are kept relative to the latest event time seen, so adding a
 * late event gives the same sums as adding it in order: the mean does not depend on arrival order. It also remembers
 * the currency of its amounts (as a hash): amounts in another currency are not comparable without exchange rates.
 * 48 bytes.
 */
public final class DecayedMean extends KeyedState {

    private long refMs = Long.MIN_VALUE;
    private double weight;
    private double sum;
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

    public void add(long timeMs, double amount, long currency, double lnTwoOverHalfLife) {
        if (count == 0) {
            this.currency = currency;
            refMs = timeMs;
            weight = 1;
            sum = amount;
        } else if (timeMs >= refMs) {
            double decay = Math.exp(-(timeMs - refMs) * lnTwoOverHalfLife);
            weight = weight * decay + 1;
            sum = sum * decay + amount;
            refMs = timeMs;
        } else {
            double w = Math.exp(-(refMs - timeMs) * lnTwoOverHalfLife);
            weight += w;
            sum += w * amount;
        }
        count++;
    }
}
