package io.eventlake.connect.source.generator.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Shopping journeys: a shopper logs in (70 % of journeys), views 1-6 products (popular ones more often), adds some
 * to the cart (35 % of views, quantity 1-3), sometimes removes one (12 %), checks out (65 % of non-empty carts) and
 * pays (85 % of checkouts). Amounts are DECIMAL(12,2): the line total for cart changes, the cart total for checkout
 * and purchase; both of an order carry its {@code order_id}.
 */
public final class CartScenario implements Scenario {

    public static final String NAME = "cart";
    static final String[] TYPES = {"login", "view_item", "add_to_cart", "remove_from_cart", "checkout", "purchase"};
    private static final int BLOCK = 64;
    private static final int ORDER_TAG = 41;
    private static final int SESSION_TAG = 42;
    private static final long USER_SALT = 0x63617274L;
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};

    public static final Schema SCHEMA = SchemaBuilder.struct()
        .name("io.eventlake.CartEvent").version(1).doc("A step of a shopping journey.")
        .field("event_id", SchemaBuilder.string().doc("Unique id of the event (UUID).").build())
        .field("event_time", Timestamp.builder().doc("When it happened (UTC).").build())
        .field("user_id", SchemaBuilder.string().doc("The shopper; also the Kafka key.").build())
        .field("session_id", SchemaBuilder.string().doc("The journey (UUID).").build())
        .field("event_type", SchemaBuilder.string()
            .doc("login, view_item, add_to_cart, remove_from_cart, checkout or purchase.").build())
        .field("product_id", SchemaBuilder.string().optional().doc("The product; null for login, checkout and "
            + "purchase.").build())
        .field("category", SchemaBuilder.string().optional().doc("The product's category.").build())
        .field("quantity", SchemaBuilder.int32().optional().doc("Items added or removed.").build())
        .field("unit_price", Money.schema(true, "Price of one item."))
        .field("amount", Money.schema(true, "Line total of a cart change, cart total of a checkout or purchase; "
            + "null for login and view_item."))
        .field("currency", SchemaBuilder.string().doc("ISO 4217 code of the shopper's currency.").build())
        .field("order_id", SchemaBuilder.string().optional().doc("The order of a checkout or purchase.").build())
        .build();

    private static final Field EVENT_ID = SCHEMA.field("event_id");
    private static final Field EVENT_TIME = SCHEMA.field("event_time");
    private static final Field USER_ID = SCHEMA.field("user_id");
    private static final Field SESSION_ID = SCHEMA.field("session_id");
    private static final Field EVENT_TYPE = SCHEMA.field("event_type");
    private static final Field PRODUCT_ID = SCHEMA.field("product_id");
    private static final Field CATEGORY = SCHEMA.field("category");
    private static final Field QUANTITY = SCHEMA.field("quantity");
    private static final Field UNIT_PRICE = SCHEMA.field("unit_price");
    private static final Field AMOUNT = SCHEMA.field("amount");
    private static final Field CURRENCY = SCHEMA.field("currency");
    private static final Field ORDER_ID = SCHEMA.field("order_id");

    private final long seed;
    private final int users;
    private final Catalog catalog;

    CartScenario(ScenarioSettings settings) {
        this.seed = settings.seed();
        this.users = settings.users();
        this.catalog = new Catalog(settings.seed(), settings.products());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int idTag() {
        return 2;
    }

    @Override
    public Schema valueSchema() {
        return SCHEMA;
    }

    @Override
    public Field idField() {
        return EVENT_ID;
    }

    @Override
    public Field timeField() {
        return EVENT_TIME;
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public void fill(SplittableRandom random, Block block, List<Draft> out) {
        int start = out.size();
        while (out.size() - start < BLOCK) {
            journey(random, block, start, out);
        }
        // A journey cut by the block's end is cut short, as a shopper who leaves.
        while (out.size() - start > BLOCK) {
            out.remove(out.size() - 1);
        }
    }

    private void journey(SplittableRandom random, Block block, int start, List<Draft> out) {
        int user = random.nextInt(users);
        String userId = "user-" + user;
        String currency = CURRENCIES[(int) Long.remainderUnsigned(Mix.mix(seed, USER_SALT, user), CURRENCIES.length)];
        String session = EventIds.of(seed, SESSION_TAG, block.sequenceOf(Math.min(BLOCK - 1, out.size() - start)));
        Journey j = new Journey(userId, session, currency, out);
        if (random.nextDouble() < 0.7) {
            j.add("login", null, null, null, null, null);
        }
        List<int[]> cart = new ArrayList<>();
        int views = 1 + random.nextInt(6);
        for (int v = 0; v < views; v++) {
            int product = catalog.draw(random);
            j.add("view_item", product, null, catalog.price(product), null, null);
            if (random.nextDouble() < 0.35) {
                int quantity = random.nextDouble() < 0.8 ? 1 : 2 + random.nextInt(2);
                cart.add(new int[] {product, quantity});
                j.add("add_to_cart", product, quantity, catalog.price(product),
                    Money.cents(catalog.priceCents(product) * quantity), null);
            }
        }
        if (!cart.isEmpty() && random.nextDouble() < 0.12) {
            int[] line = cart.remove(random.nextInt(cart.size()));
            j.add("remove_from_cart", line[0], line[1], catalog.price(line[0]),
                Money.cents(catalog.priceCents(line[0]) * line[1]), null);
        }
        if (!cart.isEmpty() && random.nextDouble() < 0.65) {
            long total = 0;
            for (int[] line : cart) {
                total += catalog.priceCents(line[0]) * line[1];
            }
            String order = EventIds.of(seed, ORDER_TAG, block.sequenceOf(Math.min(BLOCK - 1, out.size() - start)));
            j.add("checkout", null, null, null, Money.cents(total), order);
            if (random.nextDouble() < 0.85) {
                j.add("purchase", null, null, null, Money.cents(total), order);
            }
        }
    }

    private final class Journey {
        final String userId;
        final String session;
        final String currency;
        final List<Draft> out;

        Journey(String userId, String session, String currency, List<Draft> out) {
            this.userId = userId;
            this.session = session;
            this.currency = currency;
            this.out = out;
        }

        void add(String type, Integer product, Integer quantity, BigDecimal unitPrice, BigDecimal amount,
                 String order) {
            // Fields left null are not put: a Struct starts all null, and each put validates its value.
            Struct value = new Struct(SCHEMA)
                .put(USER_ID, userId)
                .put(SESSION_ID, session)
                .put(EVENT_TYPE, type)
                .put(CURRENCY, currency);
            if (product != null) {
                value.put(PRODUCT_ID, catalog.id(product)).put(CATEGORY, catalog.categoryName(product));
            }
            if (quantity != null) {
                value.put(QUANTITY, quantity);
            }
            if (unitPrice != null) {
                value.put(UNIT_PRICE, unitPrice);
            }
            if (amount != null) {
                value.put(AMOUNT, amount);
            }
            if (order != null) {
                value.put(ORDER_ID, order);
            }
            out.add(Draft.of(userId, value));
        }
    }
}
