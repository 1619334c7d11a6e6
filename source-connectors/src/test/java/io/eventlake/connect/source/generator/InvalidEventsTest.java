package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class InvalidEventsTest {

    private static final Schema WITH_CURRENCY = SchemaBuilder.struct().field("user_id", Schema.STRING_SCHEMA)
        .field("currency", Schema.STRING_SCHEMA).build();
    private static final Schema WITHOUT = SchemaBuilder.struct().field("user_id", Schema.STRING_SCHEMA).build();

    @Test
    void aShareOfEventsGetsABadCurrencyTheSameOnesEveryTime() {
        InvalidEvents invalid = new InvalidEvents(42, 0.1, WITH_CURRENCY);
        int bad = 0;
        for (long seq = 0; seq < 10_000; seq++) {
            Struct v = new Struct(WITH_CURRENCY).put("user_id", "u").put("currency", "EUR");
            boolean corrupted = invalid.apply(seq, v);
            assertEquals(corrupted, new InvalidEvents(42, 0.1, WITH_CURRENCY).apply(seq,
                new Struct(WITH_CURRENCY).put("user_id", "u").put("currency", "EUR")), "deterministic");
            assertEquals(corrupted ? "euro" : "EUR", v.get("currency"));
            assertEquals("u", v.get("user_id"));
            bad += corrupted ? 1 : 0;
        }
        assertTrue(bad > 850 && bad < 1150, "about 10 %: " + bad);
    }

    @Test
    void withoutACurrencyTheUserIdBecomesEmpty() {
        Struct v = new Struct(WITHOUT).put("user_id", "u");
        InvalidEvents all = new InvalidEvents(1, 1.0, WITHOUT);
        assertTrue(all.apply(7, v));
        assertEquals("", v.get("user_id"));
    }

    @Test
    void withoutACurrencyOrUserTheDeviceIdBecomesEmpty() {
        Schema sensor = SchemaBuilder.struct().field("device_id", Schema.STRING_SCHEMA).build();
        Struct v = new Struct(sensor).put("device_id", "sensor-00001");
        assertTrue(new InvalidEvents(1, 1.0, sensor).apply(7, v));
        assertEquals("", v.get("device_id"));
    }

    @Test
    void aShareOfZeroChangesNothing() {
        Struct v = new Struct(WITH_CURRENCY).put("user_id", "u").put("currency", "EUR");
        assertFalse(new InvalidEvents(1, 0.0, WITH_CURRENCY).apply(3, v));
        assertEquals("EUR", v.get("currency"));
    }
}
