package io.eventlake.connect.source.generator;

import java.math.BigDecimal;
import java.util.Date;
import java.util.SplittableRandom;
import java.util.UUID;

import org.apache.kafka.connect.data.Struct;

/**
 * Makes the event with a given sequence number. Everything but the event time is a pure function of
 * (seed, sequence), so a replayed sequence number yields the same event id and values.
 */
public final class EventFactory {

    static final String[] TYPES = {"page_view", "add_to_cart", "purchase", "payment"};
    /** Cumulative weights out of 100: most events are page views, few are purchases. */
    private static final int[] TYPE_WEIGHTS = {70, 85, 95, 100};
    private static final int USERS = 50_000;

    private final long seed;

    public EventFactory(long seed) {
        this.seed = seed;
    }

    public Struct event(long sequence, long eventTimeMs) {
        // Mix seed and sequence so neighbouring sequence numbers give unrelated streams.
        SplittableRandom random = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + sequence));
        UUID id = new UUID(random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L,
            random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        String type = type(random.nextInt(100));
        BigDecimal amount = switch (type) {
            case "page_view" -> null;
            default -> BigDecimal.valueOf(100 + random.nextLong(50_000_00L), EventSchemas.AMOUNT_SCALE);
        };
        return new Struct(EventSchemas.EVENT)
            .put(EventSchemas.EVENT_ID, id.toString())
            .put(EventSchemas.USER_ID, "user-" + random.nextInt(USERS))
            .put(EventSchemas.EVENT_TYPE, type)
            .put(EventSchemas.AMOUNT, amount)
            .put(EventSchemas.EVENT_TIME, new Date(eventTimeMs));
    }

    private static String type(int roll) {
        for (int i = 0; i < TYPE_WEIGHTS.length; i++) {
            if (roll < TYPE_WEIGHTS[i]) {
                return TYPES[i];
            }
        }
        throw new IllegalArgumentException("roll " + roll + " is out of [0, 100)");
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
