package io.eventlake.transforms.fraud;

import io.eventlake.transforms.fraud.state.DecayedMean;
import io.eventlake.transforms.fraud.state.KeyHash;
import io.eventlake.transforms.fraud.state.RecentValues;

/**
 * What the rules read of one record, extracted once per record by {@link EventFields}. A field that is missing (or
 * not configured) is null, NaN for numbers, or {@link #NO_TIME} for the time. One instance is reused for every
 * record of a task, so rules must not keep a reference to it.
 */
public final class FraudEvent {

    public static final long NO_TIME = Long.MIN_VALUE;

    long timeMs = NO_TIME;
    Object user;
    Object card;
    Object merchant;
    Object device;
    double amount = Double.NaN;
    /** ln(amount), computed once per record on first use (NaN until then, and for amounts <= 0). */
    private double lnAmount = Double.NaN;
    private boolean lnAmountKnown;
    String currency;
    double latitude = Double.NaN;
    double longitude = Double.NaN;
    Object country;
    /**
     * Per role: its value's hash at 2 x ordinal, its check value ({@link KeyHash#check}) at 2 x ordinal + 1, computed
     * once per record ({@link #hashed}: bit = role ordinal) however many rules ask.
     */
    private final long[] hashes = new long[2 * Role.values().length];
    private int hashed;
    private long currencyHash;
    private boolean currencyHashed;

    public FraudEvent() {
    }

    /** A builder-style setter set for tests and offline tools. */
    public FraudEvent time(long ms) {
        this.timeMs = ms;
        return this;
    }

    public FraudEvent user(Object v) {
        this.user = v;
        forget(Role.USER);
        return this;
    }

    public FraudEvent card(Object v) {
        this.card = v;
        forget(Role.CARD);
        return this;
    }

    public FraudEvent merchant(Object v) {
        this.merchant = v;
        forget(Role.MERCHANT);
        return this;
    }

    public FraudEvent device(Object v) {
        this.device = v;
        forget(Role.DEVICE);
        return this;
    }

    public FraudEvent amount(double v) {
        this.amount = v;
        lnAmountKnown = false;
        return this;
    }

    public FraudEvent currency(String v) {
        this.currency = v;
        currencyHashed = false;
        return this;
    }

    public FraudEvent location(double lat, double lon) {
        this.latitude = lat;
        this.longitude = lon;
        return this;
    }

    public FraudEvent country(Object v) {
        this.country = v;
        return this;
    }

    public long timeMs() {
        return timeMs;
    }

    public boolean hasTime() {
        return timeMs != NO_TIME;
    }

    public double amount() {
        return amount;
    }

    /** ln(amount), once per record for the rules that need it; NaN for a missing or non-positive amount. */
    public double lnAmount() {
        if (!lnAmountKnown) {
            lnAmount = amount > 0 ? Math.log(amount) : Double.NaN;
            lnAmountKnown = true;
        }
        return lnAmount;
    }

    public boolean hasAmount() {
        return !Double.isNaN(amount);
    }

    public String currency() {
        return currency;
    }

    public double latitude() {
        return latitude;
    }

    public double longitude() {
        return longitude;
    }

    public boolean hasLocation() {
        return !Double.isNaN(latitude) && !Double.isNaN(longitude);
    }

    public Object country() {
        return country;
    }

    /** The value of an entity role (user, card, merchant, device), or null when missing. */
    public Object get(Role role) {
        return switch (role) {
            case USER -> user;
            case CARD -> card;
            case MERCHANT -> merchant;
            case DEVICE -> device;
        };
    }

    /**
     * The 64-bit keyed hash ({@link KeyHash}) of a role's value, computed once per record with its check value however many rules
     * ask; the value must not be null.
     */
    public long hash(Role role) {
        int bit = 1 << role.ordinal();
        if ((hashed & bit) == 0) {
            KeyHash.of(get(role), hashes, 2 * role.ordinal());
            hashed |= bit;
        }
        return hashes[2 * role.ordinal()];
    }

    /** The check value ({@link KeyHash#check}) of a role's value, once per record; the value must not be null. */
    public long check(Role role) {
        hash(role);
        return hashes[2 * role.ordinal() + 1];
    }

    /** The hash of the currency ({@link RecentValues#hash}), or {@link DecayedMean#NO_CURRENCY}; once per record. */
    public long currencyHash() {
        if (!currencyHashed) {
            currencyHash = currency == null ? DecayedMean.NO_CURRENCY : RecentValues.hash(currency);
            currencyHashed = true;
        }
        return currencyHash;
    }

    private void forget(Role role) {
        hashed &= ~(1 << role.ordinal());
    }

    void clear() {
        hashed = 0;
        currencyHashed = false;
        timeMs = NO_TIME;
        user = null;
        card = null;
        merchant = null;
        device = null;
        amount = Double.NaN;
        lnAmountKnown = false;
        currency = null;
        latitude = Double.NaN;
        longitude = Double.NaN;
        country = null;
    }
}
