package io.eventlake.connect.sink.s3.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.sink.s3.InMemoryObjectStore;
import io.eventlake.connect.sink.s3.parquet.MetadataColumn;

/** The lake folder's schema: which record schemas may land beside it, and how it grows. */
class TableSchemasTest {

    private final InMemoryObjectStore store = new InMemoryObjectStore();

    private TableSchemas schemas(Compatibility mode) {
        return new TableSchemas(store, "_eventlake/checkpoints/schemas/topics", mode, List.of(), "kafka_");
    }

    private static SchemaBuilder event(int version) {
        return SchemaBuilder.struct().name("io.eventlake.Event").version(version)
            .field("id", Schema.STRING_SCHEMA)
            .field("event_time", Timestamp.SCHEMA);
    }

    @Test
    void schemasThatDifferOnlyInDocsAndVersionsShareOneFileSchema() {
        TableSchemas t = schemas(Compatibility.BACKWARD);
        TableSchemas.Resolution a = t.resolve("events", event(1).doc("first").build());
        TableSchemas.Resolution b = t.resolve("events", event(7).doc("another doc").build());
        assertTrue(a.accepted() && b.accepted());
        assertEquals(a.writer().target(), b.writer().target());
    }

    @Test
    void theResolutionIsCachedPerSchemaInstance() {
        TableSchemas t = schemas(Compatibility.BACKWARD);
        Schema s = event(1).build();
        assertSame(t.resolve("events", s), t.resolve("events", s));
    }

    @Test
    void aForeignRecordNameIsRefusedInEveryMode() {
        for (Compatibility mode : Compatibility.values()) {
            TableSchemas t = schemas(mode);
            t.resolve("events-" + mode, event(1).build());
            Schema foreign = SchemaBuilder.struct().name("com.acme.Invoice").field("id", Schema.STRING_SCHEMA)
                .field("lines", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build();
            TableSchemas.Resolution r = t.resolve("events-" + mode, foreign);
            assertFalse(r.accepted(), mode.name());
            assertTrue(r.rejection().contains("com.acme.Invoice") && r.rejection().contains("io.eventlake.Event"),
                r.rejection());
        }
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedInEveryMode() {
        for (Compatibility mode : Compatibility.values()) {
            TableSchemas t = schemas(mode);
            t.resolve("e", event(1).build());
            Schema clash = SchemaBuilder.struct().name("io.eventlake.Event").field("id", Schema.INT64_SCHEMA)
                .field("event_time", Timestamp.SCHEMA).build();
            TableSchemas.Resolution r = t.resolve("e", clash);
            assertFalse(r.accepted(), mode.name());
            assertTrue(r.rejection().contains("'id'") && r.rejection().contains("int64"), r.rejection());
        }
    }

    /**
     * In table mode, widening a number is a promotion, not a clash: an int column meeting longs becomes a long
     * column (and a float one meeting doubles a double), and records of either schema then land in files of the
     * wider type. A bare folder refuses it (Spark will not merge int32 and int64 files of one folder).
     */
    @Test
    void anIntWidenedToLongAndAFloatToDoubleArePromotedInTables() {
        TableSchemas bare = schemas(Compatibility.BACKWARD);
        bare.resolve("e", SchemaBuilder.struct().name("io.eventlake.Event").field("n", Schema.INT32_SCHEMA).build());
        assertFalse(bare.resolve("e", SchemaBuilder.struct().name("io.eventlake.Event").field("n",
            Schema.INT64_SCHEMA).build()).accepted());
        TableSchemas t = new TableSchemas(store, "_eventlake/checkpoints/schemas/tables", Compatibility.BACKWARD,
            List.of(), "kafka_").withTables((topic, file) -> file);
        Schema v1 = SchemaBuilder.struct().name("io.eventlake.Event").field("n", Schema.INT32_SCHEMA)
            .field("x", Schema.FLOAT32_SCHEMA).build();
        Schema v2 = SchemaBuilder.struct().name("io.eventlake.Event").field("n", Schema.INT64_SCHEMA)
            .field("x", Schema.FLOAT64_SCHEMA).build();
        t.resolve("e", v1);
        TableSchemas.Resolution wide = t.resolve("e", v2);
        assertTrue(wide.accepted(), String.valueOf(wide.rejection()));
        MessageType target = wide.writer().target();
        assertEquals(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64,
            target.getType("n").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE,
            target.getType("x").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(target, t.resolve("e", v1).writer().target(), "older records land in the wider files");
    }

    @Test
    void interleavedVersionsAreProjectedOntoTheUnionSoTheyShareFiles() {
        TableSchemas t = schemas(Compatibility.BACKWARD);
        Schema v1 = event(1).build();
        Schema v2 = event(2).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        MessageType first = t.resolve("events", v1).writer().target();
        MessageType afterV2 = t.resolve("events", v2).writer().target();
        MessageType v1Again = t.resolve("events", v1).writer().target();
        assertEquals(2, first.getFieldCount());
        assertEquals(3, afterV2.getFieldCount());
        assertEquals(afterV2, v1Again, "an older record lands in the newer files");
    }

    @Test
    void backwardRefusesANewRequiredFieldAndForwardRefusesDroppingARequiredOne() {
        TableSchemas backward = schemas(Compatibility.BACKWARD);
        backward.resolve("b", event(1).build());
        TableSchemas.Resolution r = backward.resolve("b", event(2).field("must", Schema.STRING_SCHEMA).build());
        assertFalse(r.accepted());
        assertTrue(r.rejection().contains("adds required field 'must'"), r.rejection());

        TableSchemas forward = schemas(Compatibility.FORWARD);
        forward.resolve("f", event(1).build());
        Schema dropped = SchemaBuilder.struct().name("io.eventlake.Event").field("id", Schema.STRING_SCHEMA).build();
        r = forward.resolve("f", dropped);
        assertFalse(r.accepted());
        assertTrue(r.rejection().contains("drops field 'event_time'"), r.rejection());
        assertTrue(forward.resolve("f", event(2).field("must", Schema.STRING_SCHEMA).build()).accepted(),
            "forward allows new required fields");
    }

    @Test
    void noneWritesEachSchemaAsItIs() {
        TableSchemas t = schemas(Compatibility.NONE);
        Schema v1 = event(1).build();
        Schema v2 = event(2).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        t.resolve("n", v1);
        assertEquals(3, t.resolve("n", v2).writer().target().getFieldCount());
        assertEquals(2, t.resolve("n", v1).writer().target().getFieldCount());
    }

    @Test
    void theFolderSchemaIsKeptInTheBucketForOtherTasksAndRestarts() {
        TableSchemas first = schemas(Compatibility.BACKWARD);
        first.resolve("events", event(1).field("note", Schema.OPTIONAL_STRING_SCHEMA).build());
        TableSchemas later = schemas(Compatibility.BACKWARD);
        assertEquals(first.current("events"), later.current("events"));
        Schema foreign = SchemaBuilder.struct().name("Other").field("x", Schema.STRING_SCHEMA).build();
        assertFalse(later.resolve("events", foreign).accepted(), "a restarted task still knows the folder's schema");
    }

    @Test
    void twoTasksGrowingTheSchemaAtOnceBothEndWithTheUnion() {
        TableSchemas a = schemas(Compatibility.BACKWARD);
        TableSchemas b = schemas(Compatibility.BACKWARD);
        a.resolve("events", event(1).build());
        b.resolve("events", event(1).build());
        a.resolve("events", event(2).field("x", Schema.OPTIONAL_STRING_SCHEMA).build());
        // b's copy is stale: its conditional write fails, it reloads and merges.
        MessageType bTarget = b.resolve("events", event(2).field("y", Schema.OPTIONAL_STRING_SCHEMA).build())
            .writer().target();
        assertTrue(bTarget.containsField("x") && bTarget.containsField("y"), bTarget.toString());
        assertEquals(bTarget, schemas(Compatibility.BACKWARD).current("events").orElseThrow());
    }

    @Test
    void aValueFieldNamedLikeAMetadataColumnIsRefused() {
        TableSchemas t = new TableSchemas(store, "s", Compatibility.BACKWARD, List.of(MetadataColumn.OFFSET),
            "kafka_");
        Schema s = event(1).field("kafka_offset", Schema.INT64_SCHEMA).build();
        TableSchemas.Resolution r = t.resolve("e", s);
        assertFalse(r.accepted());
        assertTrue(r.rejection().contains("kafka_offset"), r.rejection());
    }

    @Test
    void fieldNamesOfAnyCharacterSurviveTheStoredSchema() {
        Schema s = SchemaBuilder.struct().name("E").field("user id (v2)", Schema.STRING_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Decimal.builder(2).optional().build())
            .field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA).build()).build();
        schemas(Compatibility.BACKWARD).resolve("odd", s);
        assertEquals(schemas(Compatibility.BACKWARD).resolve("odd", s).writer().target(),
            schemas(Compatibility.BACKWARD).current("odd").orElseThrow());
    }
}
