package io.eventlake.transforms.fraud;

import java.util.Locale;

/** The fields of a record the rules read, each configured by {@code field.<name>}. */
public enum Input {
    TIMESTAMP("event_time", "Event time: a Connect Timestamp (java.util.Date), epoch milliseconds or an ISO-8601 "
        + "instant. It drives every window; a record without it is judged by the rules that need no time only."),
    USER("user_id", "The card holder or account."),
    CARD("card_id", "The card (or account number) charged."),
    MERCHANT("merchant_id", "The merchant or terminal."),
    AMOUNT("amount", "The amount: a number (Decimal, double, integer) or a numeric string."),
    CURRENCY("currency", "ISO 4217 code of the amount; empty if the stream has one currency."),
    LATITUDE("latitude", "Where the card was used, in degrees (-90..90)."),
    LONGITUDE("longitude", "Where the card was used, in degrees (-180..180)."),
    COUNTRY("country", "Country where the card was used; used for travel when there are no coordinates."),
    DEVICE("device_id", "The device of an online charge (null in store).");

    private final String defaultPath;
    private final String doc;

    Input(String defaultPath, String doc) {
        this.defaultPath = defaultPath;
        this.doc = doc;
    }

    public String configKey() {
        return "field." + name().toLowerCase(Locale.ROOT);
    }

    public String defaultPath() {
        return defaultPath;
    }

    public String doc() {
        return doc;
    }

    public static Input of(Role role) {
        return switch (role) {
            case USER -> USER;
            case CARD -> CARD;
            case MERCHANT -> MERCHANT;
            case DEVICE -> DEVICE;
        };
    }
}
