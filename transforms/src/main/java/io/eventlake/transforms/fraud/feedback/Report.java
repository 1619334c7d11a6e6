package io.eventlake.transforms.fraud.feedback;

/**
 * A confirmed fraud (chargeback): the transaction's event time, the time the fraud was reported (it counts only for
 * events at or after that time), and the entities of the transaction. Entities missing from the report are null.
 */
public record Report(long eventTimeMs, long reportedTimeMs, Object user, Object card, Object merchant) {
}
