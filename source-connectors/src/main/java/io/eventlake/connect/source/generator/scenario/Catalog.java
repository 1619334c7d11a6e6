package io.eventlake.connect.source.generator.scenario;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * The shop's products: id, category and price, each a pure function of the seed and the product number. Each is
 * computed on first use and kept (popular products come back on most events; a formatted id and a log-normal price
 * cost more than the rest of an event).
 */
final class Catalog {

    static final String[] CATEGORIES = {"electronics", "books", "clothing", "home", "toys", "sports", "beauty",
        "grocery", "garden", "music"};
    /** Median price per category, in currency units. */
    private static final double[] MEDIAN_PRICE = {180, 15, 35, 45, 25, 50, 20, 6, 30, 12};
    private static final long SALT = 0x70726F64L;

    private final long seed;
    private final int products;
    private final String[] ids;
    private final BigDecimal[] prices;

    Catalog(long seed, int products) {
        this.seed = seed;
        this.products = products;
        this.ids = new String[products];
        this.prices = new BigDecimal[products];
    }

    int size() {
        return products;
    }

    String id(int product) {
        String id = ids[product];
        if (id == null) {
            id = String.format("P%06d", product);
            ids[product] = id;
        }
        return id;
    }

    int category(int product) {
        return (int) Long.remainderUnsigned(Mix.mix(seed, SALT, product), CATEGORIES.length);
    }

    String categoryName(int product) {
        return CATEGORIES[category(product)];
    }

    /** Price in cents: log-normal around the category's median, at least 0.99. */
    long priceCents(int product) {
        return price(product).unscaledValue().longValue();
    }

    BigDecimal price(int product) {
        BigDecimal price = prices[product];
        if (price == null) {
            SplittableRandom r = Mix.random(seed, SALT + 1, product);
            double units = Mix.logNormal(r, MEDIAN_PRICE[category(product)], 0.6);
            price = BigDecimal.valueOf(Math.max(99, Math.round(units * 100) / 100 * 100 + 99), 2);
            prices[product] = price;
        }
        return price;
    }

    /** Popular products are viewed more often: a Zipf-like draw. */
    int draw(SplittableRandom random) {
        double u = random.nextDouble();
        return (int) Math.min(products - 1, Math.floor(products * u * u * u));
    }
}
