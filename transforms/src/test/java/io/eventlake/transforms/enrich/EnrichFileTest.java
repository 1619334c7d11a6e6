package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichFileTest {

    private static final String CSV = """
        user_id,tier,credit_limit,vip,zip
        u1,gold,5000,true,01234
        u2,silver,1500.5,false,75001
        42,bronze,10,false,
        """;

    private static final Schema EVENT = SchemaBuilder.struct().name("Event")
        .field("event_id", Schema.STRING_SCHEMA)
        .field("user_id", Schema.OPTIONAL_STRING_SCHEMA)
        .build();

    @TempDir
    Path dir;
    private Enrich<SinkRecord> enrich;

    @AfterEach
    void close() {
        if (enrich != null) {
            enrich.close();
        }
    }

    private Path write(String name, String content, long mtime) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
        return file;
    }

    private Map<String, Object> props(Path file, String... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("lookup.source", "file");
        p.put("lookup.file.path", file.toString());
        p.put("lookup.key.field", "user_id");
        p.put("lookup.fields", "tier,credit_limit,vip,zip");
        p.put("lookup.file.reload.interval.ms", "0");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private Enrich<SinkRecord> value(Map<String, Object> props) {
        enrich = new Enrich.Value<>();
        enrich.configure(props);
        return enrich;
    }

    private static SinkRecord record(Object value) {
        return new SinkRecord("events", 0, null, null, value instanceof Struct s ? s.schema() : null, value, 5);
    }

    private static Struct event(String user) {
        return new Struct(EVENT).put("event_id", "e").put("user_id", user);
    }

    @Test
    void addsTheFieldsWithInferredTypesToAStructUnderACachedSchema() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000)));
        SinkRecord out = e.apply(record(event("u1")));
        Struct v = (Struct) out.value();
        assertEquals("gold", v.get("tier"));
        assertEquals(5000.0, v.get("credit_limit"));
        assertEquals(true, v.get("vip"));
        assertEquals("01234", v.get("zip"), "a leading zero keeps the column text");
        assertEquals("hit", v.get("enrich_status"));
        assertEquals(List.of("event_id", "user_id", "tier", "credit_limit", "vip", "zip", "enrich_status"),
            out.valueSchema().fields().stream().map(Field::name).toList());
        assertEquals(Schema.Type.FLOAT64, out.valueSchema().field("credit_limit").schema().type());
        assertEquals(Schema.Type.BOOLEAN, out.valueSchema().field("vip").schema().type());
        assertTrue(out.valueSchema().field("tier").schema().isOptional());
        assertEquals("Event", out.valueSchema().name());
        assertSame(out.valueSchema(), e.apply(record(event("u2"))).valueSchema());
    }

    @Test
    void addsEntriesToASchemalessMap() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000)));
        SinkRecord out = e.apply(record(Map.of("user_id", "u2", "n", 1)));
        assertNull(out.valueSchema());
        assertEquals(Map.of("user_id", "u2", "n", 1, "tier", "silver", "credit_limit", 1500.5, "vip", false,
            "zip", "75001", "enrich_status", "hit"), out.value());
    }

    @Test
    void anUnknownKeyGetsTheDefaultsAndAMissingKeyNoKey() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000), "lookup.defaults", "tier:standard,vip:false"));
        Struct miss = (Struct) e.apply(record(event("u9"))).value();
        assertEquals("standard", miss.get("tier"));
        assertEquals(false, miss.get("vip"));
        assertNull(miss.get("credit_limit"));
        assertEquals("miss", miss.get("enrich_status"));
        assertEquals("no_key", ((Struct) e.apply(record(event(null))).value()).get("enrich_status"));
        assertEquals("no_key", ((Map<?, ?>) e.apply(record(Map.of("x", 1))).value()).get("enrich_status"));
        assertEquals(3, e.metric("lookups-total"));
        assertEquals(0, e.metric("hits-total"));
        assertEquals(1, e.metric("misses-total"));
        assertEquals(2, e.metric("no-key-total"));
    }

    @Test
    void declaredTypesWinOverInference() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000), "lookup.field.types",
            "zip:int32,credit_limit:string"));
        Struct v = (Struct) e.apply(record(event("u1"))).value();
        assertEquals(1234, v.get("zip"));
        assertEquals("5000", v.get("credit_limit"));
    }

    @Test
    void aValueThatDoesNotFitADeclaredTypeRefusesTheFileNamingIt() throws IOException {
        Path file = write("users.csv", CSV, 1000);
        ConfigException ex = assertThrows(ConfigException.class, () -> value(props(file, "lookup.field.types",
            "credit_limit:int64")));
        assertTrue(ex.getMessage().contains("lookup.file.path") && ex.getMessage().contains(
            "key u2: credit_limit: '1500.5' is not int64"), ex.getMessage());
    }

    @Test
    void aNumericKeyFindsItsTextAndThePrefixAndStatusFieldAreConfigurable() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000), "lookup.output.prefix", "user_",
            "lookup.status.field", ""));
        Map<?, ?> v = (Map<?, ?>) e.apply(record(Map.of("user_id", 42))).value();
        assertEquals("bronze", v.get("user_tier"));
        assertFalse(v.containsKey("enrich_status"));
    }

    @Test
    void aNestedKeyFieldUsesItsLastNameAsTheKeyColumn() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000), "lookup.key.field", "user.user_id"));
        Map<?, ?> v = (Map<?, ?>) e.apply(record(Map.of("user", Map.of("user_id", "u1")))).value();
        assertEquals("gold", v.get("tier"));
    }

    @Test
    void readsAJsonArrayOfObjectsAndAnObjectOfObjects() throws IOException {
        Path array = write("users.json", """
            [{"user_id": "u1", "tier": "gold", "credit_limit": 5000, "vip": true, "zip": "01234"},
             {"user_id": "u2", "tier": "silver", "credit_limit": 1500.5, "vip": false}]""", 1000);
        Enrich<SinkRecord> e = value(props(array, "lookup.file.format", "json"));
        Struct v = (Struct) e.apply(record(event("u2"))).value();
        assertEquals(1500.5, v.get("credit_limit"));
        assertNull(v.get("zip"));
        e.close();

        Path object = write("by-key.json", """
            {"u1": {"tier": "gold", "credit_limit": 5000, "vip": true}}""", 1000);
        e = value(props(object, "lookup.file.format", "JSON"));
        v = (Struct) e.apply(record(event("u1"))).value();
        assertEquals(5000L, v.get("credit_limit"), "whole JSON numbers are int64");
        assertEquals(true, v.get("vip"));
    }

    @Test
    void tombstonesPassUntouched() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000)));
        SinkRecord tombstone = record(null);
        assertSame(tombstone, e.apply(tombstone));
        assertEquals(0, e.metric("lookups-total"));
    }

    @Test
    void theKeyVariantEnrichesTheKey() throws IOException {
        Enrich<SinkRecord> e = new Enrich.Key<>();
        enrich = e;
        e.configure(props(write("users.csv", CSV, 1000)));
        SinkRecord out = e.apply(new SinkRecord("t", 0, EVENT, event("u1"), Schema.STRING_SCHEMA, "v", 1));
        assertEquals("gold", ((Struct) out.key()).get("tier"));
        assertEquals("v", out.value());
    }

    @Test
    void aValueWithAFieldOfAnAddedNameIsRefusedNamingTheRecord() throws IOException {
        Enrich<SinkRecord> e = value(props(write("users.csv", CSV, 1000)));
        DataException ex = assertThrows(DataException.class, () -> e.apply(record(Map.of("user_id", "u1",
            "tier", "x"))));
        assertTrue(ex.getMessage().startsWith("Record events-0@5: Enrich adds field 'tier'"), ex.getMessage());
        DataException notAStruct = assertThrows(DataException.class, () -> e.apply(record("text")));
        assertTrue(notAStruct.getMessage().contains("events-0@5"), notAStruct.getMessage());
    }

    /**
     * Sequence: (1) the file is loaded; (2) it is replaced by a new version; (3) the first look sees the change,
     * (4) the second look sees it unchanged and swaps the new table in; (5) a broken version is written; (6) two
     * looks: it is refused, the table of (4) stays, the failure is counted; (7) a third look does not try it again;
     * (8) a good version is written and loaded after two looks.
     */
    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsTheOldTable() throws IOException {
        Path file = write("users.csv", CSV, 1000);
        Enrich<SinkRecord> e = value(props(file));
        FileReferenceData data = (FileReferenceData) e.reference();

        write("users.csv", CSV.replace("u1,gold", "u1,platinum"), 2000);
        assertFalse(data.check(), "first look: changed, maybe still being written");
        assertTrue(data.check(), "second look: unchanged since, loaded");
        assertEquals("platinum", ((Struct) e.apply(record(event("u1"))).value()).get("tier"));

        write("users.csv", "user_id,tier\nu1,\"unclosed\n", 3000);
        assertFalse(data.check());
        assertFalse(data.check());
        assertEquals("platinum", ((Struct) e.apply(record(event("u1"))).value()).get("tier"));
        assertEquals(1, e.metric("reload-failures-total"));
        assertFalse(data.check());
        assertEquals(1, e.metric("reload-failures-total"), "a broken version is tried once");

        write("users.csv", CSV.replace("u1,gold", "u1,diamond"), 4000);
        data.check();
        assertTrue(data.check());
        assertEquals("diamond", ((Struct) e.apply(record(event("u1"))).value()).get("tier"));
        assertEquals(2, e.metric("reloads-total"));
    }

    /**
     * Sequence: the watcher thread looks every 20 ms; the file is replaced; within two looks the new table is in
     * service. Waits on the condition, with a generous deadline; then close stops the watcher thread.
     */
    @Test
    void theWatcherThreadReloadsAChangedFileAndStopsOnClose() throws Exception {
        Path file = write("watched.csv", CSV, 1000);
        Enrich<SinkRecord> e = value(props(file, "lookup.file.reload.interval.ms", "20"));
        write("watched.csv", CSV.replace("u1,gold", "u1,watched"), 2000);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!"watched".equals(((Struct) e.apply(record(event("u1"))).value()).get("tier"))) {
            assertTrue(System.currentTimeMillis() < deadline, "not reloaded within 60 s");
            Thread.sleep(10);
        }
        e.close();
        enrich = null;
        // The executor terminates before its thread has quite exited: wait for the thread, with a deadline.
        long stopDeadline = System.currentTimeMillis() + 10_000;
        while (Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("eventlake-enrich-file-watched.csv") && t.isAlive())) {
            assertTrue(System.currentTimeMillis() < stopDeadline, "the watcher thread stopped");
            Thread.sleep(10);
        }
    }

    @Test
    void aNewFileWithValuesThatNoLongerFitTheTypesIsRefused() throws IOException {
        Path file = write("users.csv", CSV, 1000);
        Enrich<SinkRecord> e = value(props(file));
        FileReferenceData data = (FileReferenceData) e.reference();
        write("users.csv", CSV.replace("5000", "lots"), 2000);
        data.check();
        assertFalse(data.check());
        assertEquals(5000.0, ((Struct) e.apply(record(event("u1"))).value()).get("credit_limit"));
    }

    @Test
    void aFileThatVanishesKeepsTheTable() throws IOException {
        Path file = write("users.csv", CSV, 1000);
        Enrich<SinkRecord> e = value(props(file));
        Files.delete(file);
        assertFalse(((FileReferenceData) e.reference()).check());
        assertEquals("hit", ((Struct) e.apply(record(event("u1"))).value()).get("enrich_status"));
    }

    @Test
    void aFileWithMoreKeysThanTheBoundIsRefused() throws IOException {
        Path file = write("users.csv", CSV, 1000);
        ConfigException ex = assertThrows(ConfigException.class, () -> value(props(file, "lookup.max.entries", "2")));
        assertTrue(ex.getMessage().contains("more than lookup.max.entries=2 entries"), ex.getMessage());
    }

    @Test
    void aMissingOrMalformedFileAtStartIsRefusedNamingTheKey() throws IOException {
        ConfigException missing = assertThrows(ConfigException.class, () -> value(props(dir.resolve("nope.csv"))));
        assertTrue(missing.getMessage().contains("lookup.file.path") && missing.getMessage().contains(
            "no such file"), missing.getMessage());
        Path noColumn = write("x.csv", "user_id,tier\nu1,gold\n", 1000);
        ConfigException column = assertThrows(ConfigException.class, () -> value(props(noColumn)));
        assertTrue(column.getMessage().contains("no column 'credit_limit'"), column.getMessage());
        Path ragged = write("y.csv", "user_id,tier,credit_limit,vip,zip\nu1,gold\n", 1000);
        ConfigException rows = assertThrows(ConfigException.class, () -> value(props(ragged)));
        assertTrue(rows.getMessage().contains("line 2 has 2 fields, the header 5"), rows.getMessage());
    }
}
