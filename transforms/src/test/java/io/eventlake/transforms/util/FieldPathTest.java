package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class FieldPathTest {

    private static final Schema DEVICE = SchemaBuilder.struct().name("Device").optional()
        .field("id", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema EVENT = SchemaBuilder.struct().name("Event")
        .field("user", Schema.STRING_SCHEMA)
        .field("device", DEVICE)
        .build();

    @Test
    void readsNestedStructFields() {
        Struct event = new Struct(EVENT).put("user", "u1").put("device", new Struct(DEVICE).put("id", "d1"));
        assertEquals("d1", FieldPath.parse("device.id").get(event));
        assertEquals("u1", FieldPath.parse("user").get(event));
        assertEquals(Schema.OPTIONAL_STRING_SCHEMA, FieldPath.parse("device.id").schemaIn(EVENT));
    }

    @Test
    void readsNestedMapEntries() {
        Map<String, Object> device = new HashMap<>();
        device.put("id", "d1");
        Map<String, Object> event = Map.of("user", "u1", "device", device);
        assertEquals("d1", FieldPath.parse("device.id").get(event));
    }

    @Test
    void missingFieldsReadAsNullAndAreNotPresent() {
        Struct event = new Struct(EVENT).put("user", "u1");
        FieldPath path = FieldPath.parse("device.id");
        assertNull(path.get(event));
        assertFalse(path.isPresent(event));
        assertNull(FieldPath.parse("nope").schemaIn(EVENT));
        assertFalse(FieldPath.parse("nope").isPresent(event));
        assertTrue(FieldPath.parse("device").isPresent(event), "present with a null value");
    }

    @Test
    void rejectsMalformedPaths() {
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(""));
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("a..b"));
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(".a"));
    }
}
