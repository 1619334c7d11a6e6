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
 * Payment card transactions with injected fraud and its ground truth. Each card holder has a home city, one or two
 * cards, a usual device, four usual merchants at home and a log-normal spending profile (median 5-400 USD, in the
 * home currency); legitimate charges follow that profile. Each {@link FraudPattern} replaces a configurable share
 * of transactions with its own story; every transaction carries {@code fraud_label} and {@code fraud_pattern}
 * (unless labels are switched off), and a configurable share of frauds gets a {@link FraudReports fraud report}
 * days later.
 */
public final class TransactionsScenario implements Scenario {

    public static final String NAME = "transactions";
    private static final int BLOCK = 64;
    static final double IMPOSSIBLE_TRAVEL_MIN_KM = 3000;

    public static final Schema SCHEMA = schema(true);
    public static final Schema UNLABELLED_SCHEMA = schema(false);

    private final long seed;
    private final int users;
    private final ScenarioSettings settings;
    private final Payments payments;
    private final Schema schema;
    private final Field transactionId;
    private final Field eventTime;
    private final Field userId;
    private final Field cardId;
    private final Field merchantId;
    private final Field merchantCategory;
    private final Field amount;
    private final Field currency;
    private final Field country;
    private final Field latitude;
    private final Field longitude;
    private final Field deviceId;
    private final Field channel;
    private final Field fraudLabel;
    private final Field fraudPattern;

    TransactionsScenario(ScenarioSettings settings) {
        this.settings = settings;
        this.seed = settings.seed();
        this.users = settings.users();
        this.payments = new Payments(settings.seed(), settings.users());
        this.schema = settings.labels() ? SCHEMA : UNLABELLED_SCHEMA;
        transactionId = schema.field("transaction_id");
        eventTime = schema.field("event_time");
        userId = schema.field("user_id");
        cardId = schema.field("card_id");
        merchantId = schema.field("merchant_id");
        merchantCategory = schema.field("merchant_category");
        amount = schema.field("amount");
        currency = schema.field("currency");
        country = schema.field("country");
        latitude = schema.field("latitude");
        longitude = schema.field("longitude");
        deviceId = schema.field("device_id");
        channel = schema.field("channel");
        fraudLabel = schema.field("fraud_label");
        fraudPattern = schema.field("fraud_pattern");
    }

    private static Schema schema(boolean labels) {
        SchemaBuilder b = SchemaBuilder.struct()
            .name(labels ? "io.eventlake.LabelledTransaction" : "io.eventlake.Transaction").version(1)
            .doc("A payment card transaction" + (labels ? " with its fraud ground truth." : "."))
            .field("transaction_id", SchemaBuilder.string().doc("Unique id of the transaction (UUID).").build())
            .field("event_time", Timestamp.builder().doc("When the card was charged (UTC).").build())
            .field("user_id", SchemaBuilder.string().doc("The card holder; also the Kafka key.").build())
            .field("card_id", SchemaBuilder.string().doc("The card charged.").build())
            .field("merchant_id", SchemaBuilder.string().doc("The merchant (or its terminal).").build())
            .field("merchant_category", SchemaBuilder.string().doc("The merchant's category.").build())
            .field("amount", Money.schema(false, "Amount charged, in `currency`."))
            .field("currency", SchemaBuilder.string().doc("ISO 4217 code: the card holder's currency.").build())
            .field("country", SchemaBuilder.string().doc("ISO 3166 country where the card was used.").build())
            .field("latitude", SchemaBuilder.float64().doc("Where the card was used: the merchant's terminal in "
                + "store, the device online.").build())
            .field("longitude", SchemaBuilder.float64().doc("See latitude.").build())
            .field("device_id", SchemaBuilder.string().optional().doc("The device of an online charge; null in "
                + "store.").build())
            .field("channel", SchemaBuilder.string().doc("pos (in store) or online.").build());
        if (labels) {
            b.field("fraud_label", SchemaBuilder.bool().doc("Ground truth: the transaction is fraud.").build())
                .field("fraud_pattern", SchemaBuilder.string().optional().doc("The injected fraud pattern, null "
                    + "when legitimate: high_amount, burst, impossible_travel, card_testing, new_device_high_amount, "
                    + "compromised_merchant.").build());
        }
        return b.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int idTag() {
        return 3;
    }

    @Override
    public Schema valueSchema() {
        return schema;
    }

    @Override
    public Field idField() {
        return transactionId;
    }

    @Override
    public Field timeField() {
        return eventTime;
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public void fill(SplittableRandom random, Block block, List<Draft> out) {
        List<List<Draft>> segments = new ArrayList<>();
        int fraudEvents = 0;
        for (FraudPattern pattern : FraudPattern.values()) {
            int occurrences = Mix.poisson(random, settings.share(pattern) * BLOCK / pattern.meanFraudEvents);
            for (int i = 0; i < occurrences && fraudEvents < BLOCK; i++) {
                List<Draft> story = new ArrayList<>();
                fraud(pattern, random, block, story);
                fraudEvents += story.size();
                segments.add(story);
            }
        }
        for (int i = fraudEvents; i < BLOCK; i++) {
            Payments.Holder holder = payments.holder(block.user(random, users));
            segments.add(List.of(legit(holder, random)));
        }
        // Shuffle the stories among the legitimate charges; each story stays in order.
        for (int i = segments.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            List<Draft> t = segments.get(i);
            segments.set(i, segments.get(j));
            segments.set(j, t);
        }
        int start = out.size();
        for (List<Draft> segment : segments) {
            for (Draft d : segment) {
                if (out.size() - start < BLOCK) {
                    out.add(d);
                }
            }
        }
    }

    /** A charge that fits the holder's profile. */
    private Draft legit(Payments.Holder h, SplittableRandom random) {
        boolean online = random.nextDouble() < h.onlineShare();
        int m = random.nextDouble() < 0.8 ? h.usualMerchants()[random.nextInt(4)]
            : online && random.nextDouble() < 0.5 ? random.nextInt(payments.merchantCount())
            : payments.merchantIn(h.home(), random);
        Payments.Merchant merchant = payments.merchant(m);
        double usd = Mix.logNormal(random, h.medianUsd() * merchant.factor(), 0.5);
        return charge(h, card(h, random), merchant, usd, online, online ? h.device() : null, null, random);
    }

    /**
     * Each story's own pace in event time, as fraud goes (not as the stream's rate would space it): the gap between
     * consecutive events of the story, drawn uniformly in [min, max] ms.
     */
    private static long[] pace(FraudPattern pattern) {
        return switch (pattern) {
            case BURST -> new long[] {15_000, 90_000};                   // a cash-out run: a charge a minute
            case CARD_TESTING -> new long[] {5_000, 30_000};             // a script trying amounts
            case IMPOSSIBLE_TRAVEL -> new long[] {600_000, 7_200_000};   // 10 min to 2 h after the charge at home
            case COMPROMISED_MERCHANT -> new long[] {60_000, 300_000};   // the skimmed card charged again minutes later
            default -> null;
        };
    }

    private void fraud(FraudPattern pattern, SplittableRandom random, Block block, List<Draft> story) {
        tellStory(pattern, random, block, story);
        long[] pace = pace(pattern);
        if (pace != null) {
            long offset = 0;
            for (int i = 1; i < story.size(); i++) {
                offset += pace[0] + (long) (random.nextDouble() * (pace[1] - pace[0]));
                story.set(i, story.get(i).inStory(i, offset));
            }
        }
    }

    private void tellStory(FraudPattern pattern, SplittableRandom random, Block block, List<Draft> story) {
        Payments.Holder h = payments.holder(block.user(random, users));
        String card = card(h, random);
        switch (pattern) {
            case HIGH_AMOUNT -> {
                Payments.Merchant m = payments.merchant(payments.merchantIn(h.home(), random));
                boolean online = random.nextDouble() < 0.4;
                story.add(charge(h, card, m, h.medianUsd() * uniform(random, 8, 25), online,
                    online ? h.device() : null, pattern, random));
            }
            case BURST -> {
                int n = 6 + random.nextInt(7);
                String device = random.nextBoolean() ? h.device() : payments.newDevice(block.firstSequence());
                for (int i = 0; i < n; i++) {
                    Payments.Merchant m = payments.merchant(random.nextInt(payments.merchantCount()));
                    story.add(charge(h, card, m, h.medianUsd() * uniform(random, 0.5, 2.5), true, device, pattern,
                        random));
                }
            }
            case IMPOSSIBLE_TRAVEL -> {
                Payments.Merchant home = payments.merchant(h.usualMerchants()[random.nextInt(4)]);
                story.add(charge(h, card, home, Mix.logNormal(random, h.medianUsd() * home.factor(), 0.5), false,
                    null, null, random));
                Geo.City far = payments.farCity(h.home(), IMPOSSIBLE_TRAVEL_MIN_KM, random);
                Payments.Merchant away = payments.merchant(payments.merchantIn(far, random));
                story.add(charge(h, card, away, h.medianUsd() * uniform(random, 1, 4), false, null, pattern, random));
            }
            case CARD_TESTING -> {
                int n = 5 + random.nextInt(11);
                String device = payments.newDevice(block.firstSequence() + 1);
                for (int i = 0; i < n; i++) {
                    Payments.Merchant m = payments.merchant(random.nextInt(payments.merchantCount()));
                    story.add(charge(h, card, m, uniform(random, 0.5, 2.99), true, device, pattern, random));
                }
                if (random.nextBoolean()) {
                    Payments.Merchant m = payments.merchant(random.nextInt(payments.merchantCount()));
                    story.add(charge(h, card, m, h.medianUsd() * uniform(random, 3, 10), true, device, pattern,
                        random));
                }
            }
            case NEW_DEVICE_HIGH_AMOUNT -> {
                Payments.Merchant m = payments.merchant(random.nextInt(payments.merchantCount()));
                story.add(charge(h, card, m, h.medianUsd() * uniform(random, 3, 10), true,
                    payments.newDevice(block.firstSequence() + 2), pattern, random));
            }
            case COMPROMISED_MERCHANT -> {
                Payments.Merchant m = payments.merchant(payments.compromisedMerchantIn(h.home()));
                story.add(charge(h, card, m, Mix.logNormal(random, h.medianUsd() * m.factor(), 0.5), false, null,
                    null, random));
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    story.add(charge(h, card, m, h.medianUsd() * uniform(random, 1, 3), false, null, pattern,
                        random));
                }
            }
            default -> throw new IllegalStateException("no story for " + pattern);
        }
    }

    private static String card(Payments.Holder h, SplittableRandom random) {
        return h.cards()[h.cards().length == 1 ? 0 : random.nextInt(h.cards().length)];
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    private Draft charge(Payments.Holder h, String card, Payments.Merchant m, double usd, boolean online,
                         String device, FraudPattern pattern, SplittableRandom random) {
        Geo.City home = h.home();
        BigDecimal money = Money.of(usd * home.perUsd(), 1);
        double lat = online ? home.lat() + (random.nextDouble() - 0.5) * 0.2 : m.lat();
        double lon = online ? home.lon() + (random.nextDouble() - 0.5) * 0.2 : m.lon();
        Struct value = new Struct(schema)
            .put(userId, h.userId())
            .put(cardId, card)
            .put(merchantId, m.id())
            .put(merchantCategory, m.categoryName())
            .put(amount, money)
            .put(currency, home.currency())
            .put(country, online ? home.country() : m.city().country())
            .put(latitude, lat)
            .put(longitude, lon)
            .put(channel, online ? "online" : "pos");
        // Struct.put validates (and formats a message string) on every call: fields left null are not put.
        if (device != null) {
            value.put(deviceId, device);
        }
        if (fraudLabel != null) {
            value.put(fraudLabel, pattern != null);
            if (pattern != null) {
                value.put(fraudPattern, pattern.label());
            }
        }
        long reportDelay = -1;
        if (pattern != null && random.nextDouble() < settings.reportShare()) {
            reportDelay = settings.reportDelayMinMs()
                + (long) (random.nextDouble() * (settings.reportDelayMaxMs() - settings.reportDelayMinMs()));
        }
        return new Draft(h.userId(), value, reportDelay);
    }
}
