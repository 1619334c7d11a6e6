package io.eventlake.connect.source.generator.scenario;

import java.util.SplittableRandom;

/**
 * The payment world of the transactions scenario: card holders with a home city, cards, a usual device, usual
 * merchants and a spending profile, and merchants with a city, a category and a location. Every attribute is a
 * pure function of the seed and the entity's number, so no state is kept.
 */
final class Payments {

    static final int MERCHANTS_PER_CITY = 50;
    static final String[] CATEGORIES = {"grocery", "restaurant", "fuel", "electronics", "clothing", "travel",
        "pharmacy", "entertainment", "jewelry", "online_retail"};
    /** How a category scales a card holder's median amount. */
    private static final double[] CATEGORY_FACTOR = {1.0, 0.8, 1.0, 2.0, 1.4, 2.5, 0.6, 0.7, 2.2, 1.2};

    private static final long USER_SALT = 0x7573657273L;
    private static final long MERCHANT_SALT = 0x6D65726368L;
    private static final long CARD_SALT = 0x63617264L;
    private static final long DEVICE_SALT = 0x646576L;

    /** A card holder. */
    record Holder(int number, String userId, Geo.City home, String[] cards, String device, int[] usualMerchants,
                  double medianUsd, double onlineShare) {
    }

    /** A merchant (or its terminal). */
    record Merchant(int number, String id, Geo.City city, int category, double lat, double lon) {

        String categoryName() {
            return CATEGORIES[category];
        }

        double factor() {
            return CATEGORY_FACTOR[category];
        }
    }

    /** Holders are a pure function of their number; a direct-mapped cache (at most 64 Ki entries) saves remaking them. */
    private static final int MAX_CACHE = 1 << 16;

    private final long seed;
    private final Holder[] holders;
    private final int cacheMask;
    private final Merchant[] merchants = new Merchant[Geo.cityCount() * MERCHANTS_PER_CITY];

    Payments(long seed, int users) {
        this.seed = seed;
        int size = Integer.highestOneBit(Math.max(1, Math.min(MAX_CACHE, users)) * 2 - 1);
        this.holders = new Holder[size];
        this.cacheMask = size - 1;
    }

    Holder holder(int number) {
        Holder cached = holders[number & cacheMask];
        if (cached != null && cached.number() == number) {
            return cached;
        }
        Holder made = makeHolder(number);
        holders[number & cacheMask] = made;
        return made;
    }

    private Holder makeHolder(int number) {
        SplittableRandom r = Mix.random(seed, USER_SALT, number);
        int city = r.nextInt(Geo.cityCount());
        String[] cards = new String[r.nextDouble() < 0.7 ? 1 : 2];
        for (int c = 0; c < cards.length; c++) {
            cards[c] = Mix.name("card-", seed, CARD_SALT, number * 2L + c);
        }
        int[] usual = new int[4];
        for (int i = 0; i < usual.length; i++) {
            usual[i] = city * MERCHANTS_PER_CITY + r.nextInt(MERCHANTS_PER_CITY);
        }
        double median = Math.max(5, Math.min(400, Mix.logNormal(r, 35, 0.6)));
        double online = 0.1 + 0.4 * r.nextDouble();
        return new Holder(number, "user-" + number, Geo.city(city), cards, Mix.name("dev-", seed, DEVICE_SALT, number),
            usual, median, online);
    }

    int merchantCount() {
        return Geo.cityCount() * MERCHANTS_PER_CITY;
    }

    Merchant merchant(int number) {
        Merchant cached = merchants[number];
        if (cached == null) {
            cached = makeMerchant(number);
            merchants[number] = cached;
        }
        return cached;
    }

    private Merchant makeMerchant(int number) {
        SplittableRandom r = Mix.random(seed, MERCHANT_SALT, number);
        Geo.City city = Geo.city(number / MERCHANTS_PER_CITY);
        int category = r.nextInt(CATEGORIES.length);
        return new Merchant(number, Mix.name("merch-", seed, MERCHANT_SALT, number), city, category,
            city.lat() + (r.nextDouble() - 0.5) * 0.16, city.lon() + (r.nextDouble() - 0.5) * 0.16);
    }

    /** A merchant in the given city. */
    int merchantIn(Geo.City city, SplittableRandom random) {
        return cityIndex(city) * MERCHANTS_PER_CITY + random.nextInt(MERCHANTS_PER_CITY);
    }

    /** The one compromised merchant of a city. */
    int compromisedMerchantIn(Geo.City city) {
        int c = cityIndex(city);
        return c * MERCHANTS_PER_CITY + (int) Long.remainderUnsigned(Mix.mix(seed, MERCHANT_SALT + 1, c),
            MERCHANTS_PER_CITY);
    }

    /** A city at least {@code minKm} from {@code from}. */
    Geo.City farCity(Geo.City from, double minKm, SplittableRandom random) {
        while (true) {
            Geo.City c = Geo.city(random.nextInt(Geo.cityCount()));
            if (Geo.distanceKm(from.lat(), from.lon(), c.lat(), c.lon()) >= minKm) {
                return c;
            }
        }
    }

    /** A device nobody has used before: named after the sequence number of the event that first shows it. */
    String newDevice(long sequence) {
        return Mix.name("dev-", seed, DEVICE_SALT + 1, sequence);
    }

    private static int cityIndex(Geo.City city) {
        return Geo.indexOf(city);
    }
}
