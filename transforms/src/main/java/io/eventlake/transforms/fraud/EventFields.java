package io.eventlake.transforms.fraud;

import java.util.EnumMap;
import java.util.Map;

import io.eventlake.transforms.util.FieldPath;

/**
 * The configured field path of each {@link Input}, parsed once; {@link #read} fills a {@link FraudEvent} from a
 * Struct or Map value. A value of the wrong type (a non-numeric amount, an unparseable time) reads as missing.
 */
public final class EventFields {

    private final Map<Input, FieldPath> paths;
    private final FieldPath time;
    private final FieldPath user;
    private final FieldPath card;
    private final FieldPath merchant;
    private final FieldPath amount;
    private final FieldPath currency;
    private final FieldPath latitude;
    private final FieldPath longitude;
    private final FieldPath country;
    private final FieldPath device;

    /** @param paths the path of each input; an input left out is not read (always missing) */
    public EventFields(Map<Input, FieldPath> paths) {
        this.paths = new EnumMap<>(Input.class);
        this.paths.putAll(paths);
        time = paths.get(Input.TIMESTAMP);
        user = paths.get(Input.USER);
        card = paths.get(Input.CARD);
        merchant = paths.get(Input.MERCHANT);
        amount = paths.get(Input.AMOUNT);
        currency = paths.get(Input.CURRENCY);
        latitude = paths.get(Input.LATITUDE);
        longitude = paths.get(Input.LONGITUDE);
        country = paths.get(Input.COUNTRY);
        device = paths.get(Input.DEVICE);
    }

    /** The path of an input, or null when it is not configured. */
    public FieldPath path(Input input) {
        return paths.get(input);
    }

    public void read(Object value, FraudEvent e) {
        e.clear();
        if (time != null) {
            e.timeMs = Values.millis(time.get(value));
        }
        e.user = get(user, value);
        e.card = get(card, value);
        e.merchant = get(merchant, value);
        e.device = get(device, value);
        e.country = get(country, value);
        if (amount != null) {
            e.amount = Values.number(amount.get(value));
        }
        if (currency != null && currency.get(value) instanceof String c) {
            e.currency = c;
        }
        if (latitude != null && longitude != null) {
            double lat = Values.number(latitude.get(value));
            double lon = Values.number(longitude.get(value));
            if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
                e.latitude = lat;
                e.longitude = lon;
            }
        }
    }

    private static Object get(FieldPath path, Object value) {
        return path == null ? null : path.get(value);
    }

    /** True when the input has a value in the event just read. */
    static boolean present(FraudEvent e, Input input) {
        return switch (input) {
            case TIMESTAMP -> e.hasTime();
            case USER -> e.user != null;
            case CARD -> e.card != null;
            case MERCHANT -> e.merchant != null;
            case AMOUNT -> e.hasAmount();
            case CURRENCY -> e.currency != null;
            case LATITUDE, LONGITUDE -> e.hasLocation();
            case COUNTRY -> e.country != null;
            case DEVICE -> e.device != null;
        };
    }
}
