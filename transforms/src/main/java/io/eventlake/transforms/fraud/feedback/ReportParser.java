package io.eventlake.transforms.fraud.feedback;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Values;
import io.eventlake.transforms.util.FieldPath;

/**
 * Turns a fraud report value (a Struct or a schemaless Map, as the converter decoded it) into a {@link Report}, by
 * the configured field paths. A report without an event time or a reported time is refused (null): without them it
 * cannot be placed in time.
 */
public final class ReportParser {

    private final FieldPath eventTime;
    private final FieldPath reportedTime;
    private final FieldPath user;
    private final FieldPath card;
    private final FieldPath merchant;
    private final FieldPath amount;
    private final FieldPath currency;

    /** Paths may be null for entities the reports do not carry. */
    public ReportParser(FieldPath eventTime, FieldPath reportedTime, FieldPath user, FieldPath card,
                        FieldPath merchant) {
        this(eventTime, reportedTime, user, card, merchant, null, null);
    }

    /** Paths may be null for entities the reports do not carry; a report without an amount has NaN. */
    public ReportParser(FieldPath eventTime, FieldPath reportedTime, FieldPath user, FieldPath card,
                        FieldPath merchant, FieldPath amount, FieldPath currency) {
        this.eventTime = eventTime;
        this.reportedTime = reportedTime;
        this.user = user;
        this.card = card;
        this.merchant = merchant;
        this.amount = amount;
        this.currency = currency;
    }

    public Report parse(Object value) {
        if (value == null) {
            return null;
        }
        long event = Values.millis(eventTime.get(value));
        long reported = Values.millis(reportedTime.get(value));
        if (event == FraudEvent.NO_TIME || reported == FraudEvent.NO_TIME) {
            return null;
        }
        Object a = get(amount, value);
        return new Report(event, reported, get(user, value), get(card, value), get(merchant, value),
            a == null ? Double.NaN : Values.number(a), get(currency, value));
    }

    private static Object get(FieldPath path, Object value) {
        return path == null ? null : path.get(value);
    }

    @Override
    public String toString() {
        return "reports{event time " + eventTime + ", reported time " + reportedTime + "}";
    }
}
