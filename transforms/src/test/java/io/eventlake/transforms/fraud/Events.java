package io.eventlake.transforms.fraud;

import io.eventlake.transforms.fraud.state.StateLimits;

/** Test events and limits. */
public final class Events {

    public static final long T0 = 1_767_225_600_000L;
    public static final long MIN = 60_000L;
    public static final long HOUR = 60 * MIN;
    public static final long DAY = 24 * HOUR;
    /** Fresh limits (and tables) for one rule or detector. */
    public static StateLimits limits() {
        return new StateLimits(1000, 30 * DAY);
    }

    private Events() {
    }

    /** A card payment of user u1 with card c1 at merchant m1, 10 USD, at T0 + offset. */
    public static FraudEvent at(long offsetMs) {
        return new FraudEvent().time(T0 + offsetMs).user("u1").card("c1").merchant("m1").amount(10).currency("USD")
            .location(48.85, 2.35);
    }
}
