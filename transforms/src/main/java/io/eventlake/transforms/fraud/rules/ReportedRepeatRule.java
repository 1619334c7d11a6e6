package io.eventlake.transforms.fraud.rules;

import java.util.ArrayList;
import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;

/**
 * A repeat charge at a merchant with confirmed fraud: fires when the card is charged again at the same merchant
 * within {@link RepeatRule}'s window (a second charge, not merchant_repeat's third) and the merchant has reached
 * {@code merchant_fraud_rate}'s threshold (enough reports, a high enough share), both as of this event. Either alone
 * is common: people pay twice at a shop now and then, and a merchant with some fraud has mostly honest customers.
 * Together they are how a compromised terminal is cashed in: the same card charged again, minutes later, where
 * chargebacks are already coming in. It reads what the two rules found for this event (so it comes after them) and
 * keeps no state of its own.
 */
public final class ReportedRepeatRule extends Rule {

    public static final String NAME = "reported_merchant_repeat";

    private final RepeatRule repeat;
    private final FeedbackRule merchantRate;

    public ReportedRepeatRule(RepeatRule repeat, FeedbackRule merchantRate, double weight) {
        super(NAME, weight);
        this.repeat = repeat;
        this.merchantRate = merchantRate;
    }

    @Override
    public List<Input> needs() {
        List<Input> needs = new ArrayList<>(repeat.needs());
        for (Input i : merchantRate.needs()) {
            if (!needs.contains(i)) {
                needs.add(i);
            }
        }
        return needs;
    }

    @Override
    public double apply(FraudEvent e) {
        int charges = repeat.lastCharges();
        double rate = merchantRate.lastLevel();
        if (charges < 0 || Double.isNaN(rate)) {
            return Double.NaN;
        }
        return charges >= 2 && rate >= 1 ? 1 : 0;
    }
}
