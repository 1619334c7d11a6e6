package io.eventlake.connect.source.generator.scenario;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/** The shop's products: id, category and price, each a pure function of the seed and the product number. */
final class Catalog {

    static final String[] CATEGORIES = {"electronics", "books", "clothing", "home", "toys", "sports", "beauty",
        "grocery", "garden", "music"};
    /** Median price per category, in currency units. */
    private static final double[] MEDIAN_PRICE = {180, 15, 35, 45, 25, 50, 20, 6, 30, 12};
    private static final long SALT = 0x70726F64L;

    private final long seed;
    private final int products;

    Catalog(long seed, int products) {
        this.seed = seed;
        this.products = products;
    }

    int size() {
        return products;
    }

    String id(int product) {
        return String.format("P%06d", product);
    }

    int category(int product) {
        return (int) Long.remainderUnsigned(Mix.mix(seed, SALT, product), CATEGORIES.length);
    }

    String categoryName(int product) {
        return CATEGORIES[category(product)];
    }

    /** Price in cents: log-normal around the category's median, at least 0.99. */
    long priceCents(int product) {
        SplittableRandom r = Mix.random(seed, SALT + 1, product);
        double price = Mix.logNormal(r, MEDIAN_PRICE[category(product)], 0.6);
        return Math.max(99, Math.round(price * 100) / 100 * 100 + 99);
    }

    BigDecimal price(int product) {
        return BigDecimal.valueOf(priceCents(product), 2);
    }

    /** Popular products are viewed more often: a Zipf-like draw. */
    int draw(SplittableRandom random) {
        double u = random.nextDouble();
        return (int) Math.min(products - 1, Math.floor(products * u * u * u));
    }
}
