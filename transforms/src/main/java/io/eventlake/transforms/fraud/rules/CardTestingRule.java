package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Map;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.DecayedMean;
import io.eventlake.transforms.fraud.state.KeyedState;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;
import io.eventlake.transforms.fraud.state.TimeRing;

/**
 * Card testing: fires when a key (a card) has at least {@code minSmall} small charges in the window of event time
 * ending at the event, whether or not the event is itself small (after a run of test charges, the next charge is the
 * cash-out). A charge is small when it is at most a fixed amount for its currency ({@code *} for any), or at most
 * {@code maxRatio} of the key's own mean amount once the key has {@code minHistory} amounts. The level is small
 * charges in window / minSmall. State per key: a {@link DecayedMean} and the times of the last minSmall small
 * charges.
 */
public final class CardTestingRule extends Rule {

    public static final String NAME = "card_testing";

    private final Role key;
    private final Map<String, Double> maxAmounts;
    private final Double anyMax;
    private final double maxRatio;
    private final int minHistory;
    private final int minSmall;
    private final long windowMs;
    private final double lnTwoOverHalfLife;
    private final KeyedStore<State> states;

    static final class State extends KeyedState {
        final DecayedMean profile = new DecayedMean();
        final TimeRing small;

        State(int capacity) {
            small = new TimeRing(capacity);
        }
    }

    public CardTestingRule(Role key, Map<String, Double> maxAmounts, double maxRatio, int minHistory, int minSmall,
                           long windowMs, long halfLifeMs, StateLimits limits, double weight) {
        super(NAME, weight);
        this.key = key;
        this.maxAmounts = Map.copyOf(maxAmounts);
        this.anyMax = maxAmounts.get(AmountLimitRule.ANY);
        this.maxRatio = maxRatio;
        this.minHistory = minHistory;
        this.minSmall = minSmall;
        this.windowMs = windowMs;
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.states = limits.store(key, windowMs, () -> new State(minSmall));
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
        State s = states.get(e.hash(key), e.check(key), e.timeMs());
        boolean sameCurrency = s.profile.count() == 0 || e.currency() == null
            || e.currencyHash() == s.profile.currency();
        if (isSmall(e, s.profile, sameCurrency)) {
            s.small.add(e.timeMs());
        }
        if (sameCurrency) {
            // The mean is all this rule reads: no ln(amount) sums (NaN leaves them out).
            s.profile.add(e.timeMs(), e.amount(), Double.NaN, e.currencyHash(), lnTwoOverHalfLife);
        }
        return s.small.count(e.timeMs() - windowMs, e.timeMs()) / (double) minSmall;
    }

    private boolean isSmall(FraudEvent e, DecayedMean profile, boolean sameCurrency) {
        Double fixed = e.currency() == null ? anyMax : maxAmounts.getOrDefault(e.currency(), anyMax);
        if (fixed != null && e.amount() <= fixed) {
            return true;
        }
        return sameCurrency && profile.count() >= minHistory && e.amount() <= maxRatio * profile.mean();
    }

    @Override
    public void clear() {
        states.clear();
    }

    @Override
    public int keys() {
        return states.size();
    }
}
