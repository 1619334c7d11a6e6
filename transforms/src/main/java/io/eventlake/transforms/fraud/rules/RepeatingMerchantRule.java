package io.eventlake.transforms.fraud.rules;

import java.util.ArrayList;
import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedState;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * A repeat charge at a merchant that keeps charging cards again: fires on a second (or later) charge on one card at
 * one merchant within {@link RepeatRule}'s window when, before this event, the merchant had at least
 * {@code minRepeats} such repeats and they were at least {@code minShare} of its recent charges (repeats and charges
 * weighing half as much every half-life of event time). A second charge alone is common (a forgotten item), and so is a shop
 * with a repeat now and then; a shop where one charge in twenty is the same card again minutes later is re-charging
 * its customers (a compromised terminal, a rogue merchant), and that shows in its traffic days before chargebacks
 * confirm it. It reads {@link RepeatRule}'s count for the event (so it comes after it). State per merchant: its
 * decayed charges and repeats and its count of repeats. The counts are this task's: with several tasks each sees its
 * part of a merchant's charges, so the count of repeats is divided by the task's share of the traffic that
 * {@code merchant_fraud_rate} learns from the reported cards ({@link FeedbackRule#ownShare}; 1 without it), an
 * estimate of the merchant's whole count, and {@code minRepeats} is reached about as with one task. The share of
 * repeats among charges needs no correction: both are the task's.
 */
public final class RepeatingMerchantRule extends Rule {

    public static final String NAME = "repeating_merchant";

    private final RepeatRule repeat;
    private final int minRepeats;
    private final double minShare;
    private final double lnTwoOverHalfLife;
    private final KeyedStore<Counts> merchants;
    /** merchant_fraud_rate, for this task's share of the traffic; null without it. */
    private final FeedbackRule traffic;

    /** A merchant's decayed charges and repeat charges, relative to the latest event time seen. */
    static final class Counts extends KeyedState {
        long refMs = Long.MIN_VALUE;
        double charges;
        double repeats;
        /** Repeats since the merchant's state started (it expires when the merchant is idle). */
        int repeatCount;
    }

    /** With {@code traffic} (merchant_fraud_rate, or null) telling this task's share of a merchant's traffic. */
    public RepeatingMerchantRule(RepeatRule repeat, FeedbackRule traffic, int minRepeats, double minShare,
                                 long halfLifeMs, StateLimits limits, double weight) {
        super(NAME, weight, false);
        this.traffic = traffic;
        this.repeat = repeat;
        this.minRepeats = minRepeats;
        this.minShare = minShare;
        this.lnTwoOverHalfLife = Math.log(2) / halfLifeMs;
        this.merchants = limits.store(Role.MERCHANT, 6 * halfLifeMs, Counts::new);
    }

    @Override
    public List<Input> needs() {
        List<Input> needs = new ArrayList<>(repeat.needs());
        if (!needs.contains(Input.MERCHANT)) {
            needs.add(Input.MERCHANT);
        }
        return needs;
    }

    @Override
    public double apply(FraudEvent e) {
        int charges = repeat.lastCharges();
        if (charges < 0) {
            return Double.NaN;
        }
        long t = e.timeMs();
        Counts c = merchants.get(e.hash(Role.MERCHANT), e.check(Role.MERCHANT), t);
        double decay = c.refMs == Long.MIN_VALUE || t <= c.refMs ? 1 : Math.exp(-(t - c.refMs) * lnTwoOverHalfLife);
        double before = c.charges * decay;
        double repeatsBefore = c.repeats * decay;
        boolean isRepeat = charges >= 2;
        int countBefore = c.repeatCount;
        if (isRepeat) {
            c.repeatCount++;
        }
        if (c.refMs == Long.MIN_VALUE || t >= c.refMs) {
            c.charges = before + 1;
            c.repeats = repeatsBefore + (isRepeat ? 1 : 0);
            c.refMs = t;
        } else {
            double w = Math.exp(-(c.refMs - t) * lnTwoOverHalfLife);
            c.charges += w;
            c.repeats += isRepeat ? w : 0;
        }
        if (!isRepeat || before <= 0) {
            return 0;
        }
        double count = traffic == null ? countBefore : countBefore / traffic.ownShare();
        return Math.min(count / minRepeats, repeatsBefore / before / minShare);
    }

    @Override
    public void clear() {
        merchants.clear();
    }

    @Override
    public int keys() {
        return merchants.size();
    }
}
