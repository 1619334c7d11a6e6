package io.eventlake.connect.source.generator.scenario;

import java.util.Locale;

/** The fraud patterns the transactions scenario injects, each with its own configurable share. */
public enum FraudPattern {
    /** One charge far above the card holder's usual spending (8-25x the user's median). */
    HIGH_AMOUNT(1),
    /** 6-12 charges on one card in quick succession at several online merchants. */
    BURST(9),
    /** A legitimate charge at home, then the same card charged in a city thousands of km away moments later. */
    IMPOSSIBLE_TRAVEL(1),
    /** 5-15 tiny charges (0.50-2.99) on one card at online merchants, half of the time followed by a large one. */
    CARD_TESTING(11),
    /** An online charge from a device the user has never used, for 3-10x the user's median. */
    NEW_DEVICE_HIGH_AMOUNT(1),
    /** A merchant starts charging its customers again: after a legitimate purchase there, 1-3 fraudulent charges. */
    COMPROMISED_MERCHANT(2);

    /** Mean number of fraudulent events in one occurrence; used to turn a share of events into occurrences. */
    final double meanFraudEvents;

    FraudPattern(double meanFraudEvents) {
        this.meanFraudEvents = meanFraudEvents;
    }

    /** The label value in {@code fraud_pattern} and the suffix of the {@code fraud.share.*} setting. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
