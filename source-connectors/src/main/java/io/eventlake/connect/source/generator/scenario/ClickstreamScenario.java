package io.eventlake.connect.source.generator.scenario;

import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Browsing sessions on a web shop: each session is one visitor's walk through home, category, search, product, cart
 * and checkout pages, with the referrer (an outside site for the first page, the previous page after), the
 * visitor's user agent and device, and how long the page was looked at. Sessions last 1 to 30 pages (about 5 on
 * average); dwell times are log-normal around 20 s; the last page of a session has no dwell time.
 */
public final class ClickstreamScenario implements Scenario {

    public static final String NAME = "clickstream";
    static final String SITE = "https://shop.example.com";
    private static final int BLOCK = 64;
    private static final int SESSION_TAG = 40;
    private static final long USER_SALT = 0x636C6BL;

    public static final Schema SCHEMA = SchemaBuilder.struct()
        .name("io.eventlake.PageView").version(1).doc("A page view of a browsing session.")
        .field("event_id", SchemaBuilder.string().doc("Unique id of the event (UUID).").build())
        .field("event_time", Timestamp.builder().doc("When the page was viewed (UTC).").build())
        .field("session_id", SchemaBuilder.string().doc("The browsing session (UUID).").build())
        .field("user_id", SchemaBuilder.string().doc("The visitor; also the Kafka key.").build())
        .field("page_url", SchemaBuilder.string().doc("The page viewed.").build())
        .field("referrer", SchemaBuilder.string().optional()
            .doc("The page or site the visitor came from; null for direct visits.").build())
        .field("user_agent", SchemaBuilder.string().doc("The browser's User-Agent header.").build())
        .field("device_type", SchemaBuilder.string().doc("desktop, mobile or tablet.").build())
        .field("page_index", SchemaBuilder.int32().doc("Position of the page in its session, from 1.").build())
        .field("dwell_ms", SchemaBuilder.int64().optional()
            .doc("Time on the page until the next one; null for the session's last page.").build())
        .build();

    private static final Field EVENT_ID = SCHEMA.field("event_id");
    private static final Field EVENT_TIME = SCHEMA.field("event_time");
    private static final Field SESSION_ID = SCHEMA.field("session_id");
    private static final Field USER_ID = SCHEMA.field("user_id");
    private static final Field PAGE_URL = SCHEMA.field("page_url");
    private static final Field REFERRER = SCHEMA.field("referrer");
    private static final Field USER_AGENT = SCHEMA.field("user_agent");
    private static final Field DEVICE_TYPE = SCHEMA.field("device_type");
    private static final Field PAGE_INDEX = SCHEMA.field("page_index");
    private static final Field DWELL_MS = SCHEMA.field("dwell_ms");

    static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    private static final String[][] USER_AGENTS = {
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
                + "Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile "
                + "Safari/537.36"},
        {"Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
            + "Mobile/15E148 Safari/604.1"}};
    private static final String[] REFERRERS = {null, null, null, null, null, null, null, "https://www.google.com/",
        "https://www.google.com/", "https://www.google.com/", "https://www.google.com/", "https://www.google.com/",
        "https://www.google.com/", "https://www.google.com/", "https://www.bing.com/", "https://www.facebook.com/",
        "https://www.facebook.com/", "https://www.instagram.com/", "https://newsletter.example.com/",
        "https://newsletter.example.com/"};
    private static final String[] SEARCH_TERMS = {"headphones", "running+shoes", "coffee", "lamp", "lego", "yoga+mat",
        "novel", "charger", "jacket", "plant+pot"};

    private enum Page { HOME, CATEGORY, SEARCH, PRODUCT, CART, CHECKOUT, CONFIRMATION }

    private final long seed;
    private final int users;
    private final Catalog catalog;

    ClickstreamScenario(ScenarioSettings settings) {
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
        return 1;
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
        int position = 0;
        while (position < BLOCK) {
            int length = Math.min(BLOCK - position, sessionLength(random));
            String sessionId = EventIds.of(seed, SESSION_TAG, block.sequenceOf(position));
            int user = random.nextInt(users);
            String userId = "user-" + user;
            int device = device(user);
            String agent = userAgent(user, device);
            Page page = entryPage(random);
            String url = url(page, random);
            String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
            for (int i = 1; i <= length; i++) {
                Struct value = new Struct(SCHEMA)
                    .put(SESSION_ID, sessionId)
                    .put(USER_ID, userId)
                    .put(PAGE_URL, url)
                    .put(REFERRER, referrer)
                    .put(USER_AGENT, agent)
                    .put(DEVICE_TYPE, DEVICES[device])
                    .put(PAGE_INDEX, i)
                    .put(DWELL_MS, i == length ? null : dwellMs(random));
                out.add(Draft.of(userId, value));
                referrer = url;
                page = next(page, random);
                url = url(page, random);
            }
            position += length;
        }
    }

    /** 1 + geometric with mean 4, at most 30 pages. */
    private static int sessionLength(SplittableRandom random) {
        int length = 1;
        while (length < 30 && random.nextDouble() < 0.8) {
            length++;
        }
        return length;
    }

    private static long dwellMs(SplittableRandom random) {
        return Math.max(500, Math.min(1_800_000, Math.round(Mix.logNormal(random, 20_000, 0.9))));
    }

    /** A visitor's device: 55 % mobile, 38 % desktop, 7 % tablet. */
    int device(int user) {
        double u = Mix.unit(Mix.mix(seed, USER_SALT, user));
        return u < 0.55 ? 1 : u < 0.93 ? 0 : 2;
    }

    private String userAgent(int user, int device) {
        String[] agents = USER_AGENTS[device];
        return agents[(int) Long.remainderUnsigned(Mix.mix(seed, USER_SALT + 1, user), agents.length)];
    }

    private static Page entryPage(SplittableRandom random) {
        double u = random.nextDouble();
        return u < 0.4 ? Page.HOME : u < 0.7 ? Page.PRODUCT : u < 0.9 ? Page.CATEGORY : Page.SEARCH;
    }

    private static Page next(Page page, SplittableRandom random) {
        double u = random.nextDouble();
        return switch (page) {
            case HOME -> u < 0.5 ? Page.CATEGORY : u < 0.75 ? Page.SEARCH : Page.PRODUCT;
            case CATEGORY -> u < 0.7 ? Page.PRODUCT : u < 0.85 ? Page.CATEGORY : Page.HOME;
            case SEARCH -> u < 0.7 ? Page.PRODUCT : Page.SEARCH;
            case PRODUCT -> u < 0.35 ? Page.PRODUCT : u < 0.55 ? Page.CART : u < 0.85 ? Page.CATEGORY : Page.SEARCH;
            case CART -> u < 0.5 ? Page.CHECKOUT : Page.PRODUCT;
            case CHECKOUT -> u < 0.6 ? Page.CONFIRMATION : Page.CART;
            case CONFIRMATION -> Page.HOME;
        };
    }

    private String url(Page page, SplittableRandom random) {
        return switch (page) {
            case HOME -> SITE + "/";
            case CATEGORY -> SITE + "/category/" + Catalog.CATEGORIES[random.nextInt(Catalog.CATEGORIES.length)];
            case SEARCH -> SITE + "/search?q=" + SEARCH_TERMS[random.nextInt(SEARCH_TERMS.length)];
            case PRODUCT -> SITE + "/product/" + catalog.id(catalog.draw(random));
            case CART -> SITE + "/cart";
            case CHECKOUT -> SITE + "/checkout";
            case CONFIRMATION -> SITE + "/checkout/confirmation";
        };
    }
}
