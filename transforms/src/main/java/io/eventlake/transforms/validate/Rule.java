package io.eventlake.transforms.validate;

/** One configured check of a record value (a Struct or a schemaless Map). */
interface Rule {

    /** Adds this rule's violation by {@code value}, if any, to {@code out}. */
    void check(Object value, Violations out);
}
