package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.KeyedStore;
import io.eventlake.transforms.fraud.state.RecentAmounts;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * Money passing through: fires when a key (an account, as the sender of an event) sends on about what it received
 * lately, as the receiver of earlier events (an account named in the {@code receiver} role: a transfer's
 * destination). The level is {@code min(amount, received) / max(amount, received) / share}, where {@code received} is
 * what the key received in the last {@code windowMs}: it fires when the event's amount is within {@code share} of
 * that sum either way (a mule cashing out what a takeover sent it), and counts as a near miss as the two approach.
 * An account that never receives (a card holder paying shops, which never pay back) has nothing to pass on: level 0.
 *
 * <p>State: per receiving key, the latest {@code memory} amounts received with their times ({@link RecentAmounts}),
 * in a table of its own (receivers that never send, such as shops, do not take room from the senders' tables). Exact
 * when the same task sees an account's incoming and outgoing events (one task, or a topic keyed so that both land in
 * one partition); otherwise what another task saw it receive is not known here.
 */
public final class PassThroughRule extends Rule {

    public static final String NAME = "pass_through";

    private final Role key;
    private final Role receiver;
    private final double share;
    private final long windowMs;
    private final KeyedStore<RecentAmounts> received;

    /** The kind of this rule's table: what the accounts of a role received. */
    private record Received(Role key) {
    }

    public PassThroughRule(Role key, Role receiver, double share, long windowMs, int memory, StateLimits limits,
                           double weight) {
        super(NAME, weight);
        this.key = key;
        this.receiver = receiver;
        this.share = share;
        this.windowMs = windowMs;
        this.received = limits.store(new Received(key), windowMs, () -> new RecentAmounts(memory));
    }

    @Override
    public List<Input> needs() {
        return List.of(Input.TIMESTAMP, Input.of(key), Input.AMOUNT);
    }

    @Override
    public double apply(FraudEvent e) {
        if (e.get(key) == null || !e.hasTime() || !e.hasAmount()) {
            return Double.NaN;
        }
        long t = e.timeMs();
        double amount = e.amount();
        double level = 0;
        RecentAmounts in = received.peek(e.hash(key), e.check(key));
        if (in != null && amount > 0) {
            double got = in.sum(t - windowMs, t);
            if (got > 0) {
                level = Math.min(amount, got) / Math.max(amount, got) / share;
            }
        }
        if (e.get(receiver) != null && amount > 0) {
            received.get(e.hash(receiver), e.check(receiver), t).add(t, amount);
        }
        return level;
    }

    @Override
    public void clear() {
        received.clear();
    }

    @Override
    public int keys() {
        return received.size();
    }
}
