package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class AddedFieldsTest {

    private static final Schema EVENT = SchemaBuilder.struct().name("Event").field("id", Schema.STRING_SCHEMA).build();

    private static AddedFields flagAndScore() {
        Map<String, Schema> fields = new LinkedHashMap<>();
        fields.put("flag", Schema.BOOLEAN_SCHEMA);
        fields.put("score", Schema.OPTIONAL_FLOAT64_SCHEMA);
        return new AddedFields(fields, "Test");
    }

    @Test
    void appendsFieldsToStructsUnderACachedSchema() {
        AddedFields added = flagAndScore();
        Schema out = added.schemaFor(EVENT);
        assertSame(out, added.schemaFor(EVENT));
        assertEquals("Event", out.name());
        Struct extended = added.extend(new Struct(EVENT).put("id", "e1"), out, true, 0.5);
        assertEquals("e1", extended.get("id"));
        assertEquals(true, extended.get("flag"));
        assertEquals(0.5, extended.get("score"));
    }

    @Test
    void appendsEntriesToMaps() {
        Map<String, Object> out = flagAndScore().extend(Map.of("id", "e1"), false, null);
        assertEquals(Map.of("id", "e1", "flag", false), Map.of("id", out.get("id"), "flag", out.get("flag")));
        assertEquals(3, out.size());
    }

    /** The fast put (without Connect's per-put message) is on for the Connect API these tests run with. */
    @Test
    void theUnnamedFieldPutsWorkOnThisConnectApi() {
        assertTrue(StructFiller.UNNAMED_PUTS);
    }

    /**
     * The copy still validates every value: a value of the wrong type for an added field (a String for the boolean
     * flag), or a null for a required field, is a DataException that names the field.
     */
    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() {
        AddedFields added = flagAndScore();
        Schema out = added.schemaFor(EVENT);
        DataException wrong = assertThrows(DataException.class,
            () -> added.extend(new Struct(EVENT).put("id", "e1"), out, "yes", 0.5));
        assertTrue(wrong.getMessage().contains("\"flag\""), wrong.getMessage());
        DataException missing = assertThrows(DataException.class,
            () -> added.extend(new Struct(EVENT), out, true, 0.5));
        assertTrue(missing.getMessage().contains("\"id\""), missing.getMessage());
    }

    /** A copy equals the same Struct built with named puts, optional nulls included. */
    @Test
    void theCopyEqualsOneBuiltFieldByFieldByName() {
        Schema in = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("n", Schema.INT64_SCHEMA).build();
        AddedFields added = flagAndScore();
        Schema out = added.schemaFor(in);
        Struct copy = added.extend(new Struct(in).put("id", "e1").put("n", 3L), out, false, null);
        Struct expected = new Struct(out).put("id", "e1").put("note", null).put("n", 3L).put("flag", false)
            .put("score", null);
        assertEquals(expected, copy);
        copy.validate();
    }

    @Test
    void refusesToOverwriteAnExistingField() {
        Schema clash = SchemaBuilder.struct().field("flag", Schema.STRING_SCHEMA).build();
        assertThrows(DataException.class, () -> flagAndScore().schemaFor(clash));
        assertThrows(DataException.class, () -> flagAndScore().extend(Map.of("score", 1), true, 0.1));
    }
}
