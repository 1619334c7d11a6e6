package io.eventlake.transforms.fraud.feedback;

/**
 * A confirmed fraud (chargeback): the transaction's event time, the time the fraud was reported (it counts only for
 * events at or after that time), the entities of the transaction, and its amount and currency. Entities missing from
 * the report are null; a missing amount is NaN.
 */
public record Report(long eventTimeMs, long reportedTimeMs, Object user, Object card, Object merchant, double amount,
                     Object currency) {

    /** A report without amount or currency. */
    public Report(long eventTimeMs, long reportedTimeMs, Object user, Object card, Object merchant) {
        this(eventTimeMs, reportedTimeMs, user, card, merchant, Double.NaN, null);
    }
}
