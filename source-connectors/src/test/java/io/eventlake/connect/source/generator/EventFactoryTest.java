package io.eventlake.connect.source.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class EventFactoryTest {

    @Test
    void sameSeedAndSequenceGiveTheSameEvent() {
        Struct a = new EventFactory(7).event(12345, 1_000);
        Struct b = new EventFactory(7).event(12345, 1_000);
        assertEquals(a, b);
    }

    @Test
    void otherSequenceOrSeedGivesAnotherId() {
        EventFactory f = new EventFactory(7);
        assertNotEquals(f.event(1, 0).getString(EventSchemas.EVENT_ID), f.event(2, 0).getString(EventSchemas.EVENT_ID));
        assertNotEquals(f.event(1, 0).getString(EventSchemas.EVENT_ID),
            new EventFactory(8).event(1, 0).getString(EventSchemas.EVENT_ID));
    }

    @Test
    void eventsAreValidAgainstTheSchemaWithUniqueUuidsAndAMixOfTypes() {
        EventFactory f = new EventFactory(42);
        Set<String> ids = new HashSet<>();
        Map<String, Integer> types = new HashMap<>();
        for (long seq = 0; seq < 20_000; seq++) {
            Struct e = f.event(seq, 1_722_816_000_000L);
            e.validate();
            String id = e.getString(EventSchemas.EVENT_ID);
            assertEquals(4, UUID.fromString(id).version(), id);
            ids.add(id);
            types.merge(e.getString(EventSchemas.EVENT_TYPE), 1, Integer::sum);
            BigDecimal amount = (BigDecimal) e.get(EventSchemas.AMOUNT);
            if ("page_view".equals(e.getString(EventSchemas.EVENT_TYPE))) {
                assertNull(amount);
            } else {
                assertEquals(2, amount.scale());
                assertTrue(amount.signum() > 0 && amount.precision() <= EventSchemas.AMOUNT_PRECISION, amount::toString);
            }
            assertEquals(new Date(1_722_816_000_000L), e.get(EventSchemas.EVENT_TIME));
        }
        assertEquals(20_000, ids.size());
        assertEquals(Set.of(EventFactory.TYPES), types.keySet());
        assertTrue(types.get("page_view") > types.get("purchase"), types::toString);
    }
}
