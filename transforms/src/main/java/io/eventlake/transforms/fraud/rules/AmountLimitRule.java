package io.eventlake.transforms.fraud.rules;

import java.util.List;
import java.util.Map;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;

/**
 * Fires when an amount reaches a fixed limit for its currency ({@code *} for any currency, or for a stream without
 * a currency field). No state. Below the limit its level is the amount's share of the limit.
 */
public final class AmountLimitRule extends Rule {

    public static final String NAME = "amount_limit";
    public static final String ANY = "*";

    private final Map<String, Double> limits;
    private final Double anyLimit;

    public AmountLimitRule(Map<String, Double> limits, double weight) {
        super(NAME, weight);
        this.limits = Map.copyOf(limits);
        this.anyLimit = limits.get(ANY);
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.AMOUNT);
    }

    @Override
    public double apply(FraudEvent e) {
        if (!e.hasAmount()) {
            return Double.NaN;
        }
        Double limit = e.currency() == null ? anyLimit : limits.getOrDefault(e.currency(), anyLimit);
        if (limit == null) {
            return 0;
        }
        return Math.max(0, e.amount() / limit);
    }
}
