package io.eventlake.transforms.validate;

import java.util.Locale;

/** What {@link Validate} does with a record that breaks a rule. */
public enum OnInvalid {
    /** Throw a DataException naming every violation: errors.tolerance and the dead letter queue decide. */
    FAIL,
    /** Filter the record out, counted. */
    DROP,
    /** Send it to the quarantine topic with the violation headers. */
    ROUTE,
    /** Keep it where it goes, with the violation headers. */
    TAG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
