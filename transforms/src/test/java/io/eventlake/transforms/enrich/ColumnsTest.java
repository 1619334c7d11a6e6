package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class ColumnsTest {

    private static Object[] row(Object... values) {
        return values;
    }

    @Test
    void equalTextValuesOfManyRowsShareOneCopy() {
        Columns columns = new Columns(List.of("tier"), Map.of(), false, "", "", Map.of());
        columns.resolve(List.<Object[]>of());
        Object[] a = columns.convert(row(new String("gold")));
        Object[] b = columns.convert(row(new String("gold")));
        assertSame(a[0], b[0]);
    }

    @Test
    void typesAreDeclaredOrInferredOnceAndTheOutputSchemaFollows() {
        Columns columns = new Columns(List.of("tier", "limit", "vip"), Map.of("vip", FieldType.STRING), true, "u_",
            "status", Map.of("limit", "0"));
        columns.resolve(List.<Object[]>of(row("gold", "10", "true"), row("silver", "2.5", "false")));
        columns.resolve(List.<Object[]>of(row("x", "y", "z")));
        Schema in = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        Schema out = columns.added().schemaFor(in);
        assertEquals(Schema.Type.STRING, out.field("u_tier").schema().type());
        assertEquals(Schema.Type.FLOAT64, out.field("u_limit").schema().type());
        assertEquals(Schema.Type.STRING, out.field("u_vip").schema().type(), "declared wins over inference");
        assertEquals(Schema.Type.STRING, out.field("status").schema().type());
        assertEquals(0.0, columns.defaults()[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> columns.convert(row("a", "lots", "b")));
        assertEquals("limit: 'lots' is not float64", e.getMessage());
    }
}
