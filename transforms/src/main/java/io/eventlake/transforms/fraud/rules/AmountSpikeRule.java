package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.DecayedMean;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Fires when an amount is at least {@code ratio} times the key's own mean amount (weights halving every half-life of
 * event time), once the key has {@code minHistory} amounts, and at least {@code spread} of the key's own standard
 * deviations of ln(amount) above its mean ln(amount): a key whose amounts vary widely (an account that pays 10 and
 * transfers 500) needs a larger jump than one whose basket is steady. The level rises with the logarithm of amount /
 * mean: 0 at the mean, 1 at {@code ratio}; the smaller of the two levels counts. An amount in another currency than
 * the key's history is neither judged nor recorded (no exchange rates here). State per key: a {@link DecayedMean}.
 */
public final class AmountSpikeRule extends Rule {

    public static final String NAME = "amount_spike";

    /**
     * The factor on ln(ratio) for a mean of n amounts: sqrt((1 + 1/n) / (1 + 1/N)) with N = 20, so ln(ratio) is
     * reached at about 20 amounts and widened for fewer (a mean of few amounts is itself uncertain; the spread of a
     * new amount around it grows as sqrt(1 + 1/n), the predictive interval of a normal mean in log space).
     */
    private static final double[] WIDEN = new double[21];

    static {
        for (int n = 1; n < WIDEN.length; n++) {
            WIDEN[n] = Math.sqrt((1 + 1.0 / n) / (1 + 1.0 / (WIDEN.length - 1)));
        }
        WIDEN[0] = WIDEN[1];
    }

    private final Role key;
    private final double lnRatio;
    private final int minHistory;
    private final double lnTwoOverHalfLife;
    private final double spread;
    private final KeyedStore<DecayedMean> profiles;

    /**
     * @param spread the amount must also lie this many of the key's own standard deviations of ln(amount) above the
     *     mean of its ln(amount), widened as the ratio is for few amounts (0: the ratio alone)
     */
    public AmountSpikeRule(Role key, double ratio, int minHistory, long halfLifeMs, double spread,
        StateLimits limits, double weight) {
        super(NAME, weight);
        this.key = key;
        this.lnRatio = Math.log(ratio);
        this.minHistory = minHistory;
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.spread = spread;
        this.profiles = limits.store(key, 0, DecayedMean::new);
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.AMOUNT, Input.of(key));
    }

    @Override
    public double apply(FraudEvent e) {
        Object k = e.get(key);
        if (k == null || !e.hasTime() || !e.hasAmount()) {
            return Double.NaN;
        }
        DecayedMean profile = profiles.get(e.hash(key), e.check(key), e.timeMs());
        if (profile.count() > 0 && e.currency() != null && e.currencyHash() != profile.currency()) {
            return 0;
        }
        double level = 0;
        int n = profile.count();
        if (n >= minHistory) {
            double mean = profile.mean();
            if (mean > 0 && e.amount() > mean) {
                double widen = WIDEN[Math.min(n, WIDEN.length - 1)];
                level = Math.log(e.amount() / mean) / (lnRatio * widen);
                double deviation = profile.logDeviation();
                if (spread > 0 && deviation > 0) {
                    level = Math.min(level, (e.lnAmount() - profile.logMean()) / (spread * deviation * widen));
                }
            }
        }
        profile.add(e.timeMs(), e.amount(), e.lnAmount(), e.currencyHash(), lnTwoOverHalfLife);
        return level;
    }

    @Override
    public void clear() {
        profiles.clear();
    }

    @Override
    public int keys() {
        return profiles.size();
    }

    KeyedStore<DecayedMean> store() {
        return profiles;
    }
}
