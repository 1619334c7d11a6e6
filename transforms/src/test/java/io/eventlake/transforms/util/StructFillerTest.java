package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** The check behind unnamed puts, and the fallback to named puts when a Connect API fails it. */
class StructFillerTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA)
        .field("count", Schema.OPTIONAL_INT64_SCHEMA).build();

    @Test
    void theCheckPassesOnThisConnectApiAndFailsOnOneThatDoesNotStoreByIndexOrValidate() {
        assertTrue(StructFiller.unnamedPutsWork(Struct::put));
        // A Connect whose put looks the field up by name: an unnamed field cannot be put.
        assertFalse(StructFiller.unnamedPutsWork((s, f, v) -> s.put(f.name(), v)));
        // One whose put stores nothing.
        assertFalse(StructFiller.unnamedPutsWork((s, f, v) -> { }));
        // One whose put does not validate: a wrong type is stored.
        assertFalse(StructFiller.unnamedPutsWork((s, f, v) -> {
            try {
                java.lang.reflect.Field values = Struct.class.getDeclaredField("values");
                values.setAccessible(true);
                ((Object[]) values.get(s))[f.index()] = v;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @Test
    void theFallbackPutsThroughTheNamedFieldsValidatedAndNamingTheFieldOnError() {
        StructFiller fallback = new StructFiller(SCHEMA, false);
        StructFiller unnamed = new StructFiller(SCHEMA, true);
        Struct a = new Struct(SCHEMA);
        Struct b = new Struct(SCHEMA);
        fallback.put(a, 0, "x");
        fallback.put(a, 1, 3L);
        unnamed.put(b, 0, "x");
        unnamed.put(b, 1, 3L);
        assertEquals(new Struct(SCHEMA).put("name", "x").put("count", 3L), a);
        assertEquals(a, b);
        DataException e = assertThrows(DataException.class, () -> fallback.put(new Struct(SCHEMA), 1, "three"));
        assertTrue(e.getMessage().contains("\"count\""), e.getMessage());
    }
}
