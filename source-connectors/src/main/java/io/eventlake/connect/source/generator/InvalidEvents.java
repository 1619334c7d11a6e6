package io.eventlake.connect.source.generator;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import io.eventlake.connect.source.generator.scenario.Mix;

/**
 * Makes a configured share of events invalid on purpose, so validation and quarantine downstream have something to
 * catch: the currency becomes {@code euro} (not an ISO-4217 code) where the scenario has one, else the user id
 * (or, in the sensors scenario, the device id) becomes empty. Which events is a pure function of the seed and
 * sequence number, so a replay corrupts the same ones.
 */
final class InvalidEvents {

    static final String BAD_CURRENCY = "euro";
    private static final long SALT = 0x62616421L;

    private final long seed;
    private final double share;
    private final Field target;
    private final Object badValue;

    InvalidEvents(long seed, double share, Schema schema) {
        this.seed = seed;
        this.share = share;
        Field currency = schema.field("currency");
        Field id = schema.field("user_id") != null ? schema.field("user_id") : schema.field("device_id");
        this.target = currency != null ? currency : id;
        this.badValue = currency != null ? BAD_CURRENCY : "";
    }

    /** Corrupts the event when its sequence number falls in the share; returns whether it did. */
    boolean apply(long sequence, Struct value) {
        if (share <= 0 || target == null || Mix.unit(Mix.mix(seed, SALT, sequence)) >= share) {
            return false;
        }
        value.put(target, badValue);
        return true;
    }
}
