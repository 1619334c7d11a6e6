package io.eventlake.connect.source.http.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class SchemaSpecTest {

    @Test
    void everyPrimitiveTypeMapsToItsConnectType() {
        Schema s = SchemaSpec.parse("a:string, b:boolean, c:int8, d:int16, e:int32, f:int64, g:float32, h:float64, "
            + "i:bytes", null);
        assertEquals(List.of(Schema.Type.STRING, Schema.Type.BOOLEAN, Schema.Type.INT8, Schema.Type.INT16,
            Schema.Type.INT32, Schema.Type.INT64, Schema.Type.FLOAT32, Schema.Type.FLOAT64, Schema.Type.BYTES),
            s.fields().stream().map(f -> f.schema().type()).toList());
        assertTrue(s.fields().stream().noneMatch(f -> f.schema().isOptional()));
        assertFalse(s.isOptional());
        assertNull(s.name());
    }

    @Test
    void logicalTypesCarryTheirParameters() {
        Schema s = SchemaSpec.parse("at:timestamp, day:date, amount:decimal(12,2)", "com.example.Order");
        assertEquals("com.example.Order", s.name());
        assertEquals(Timestamp.LOGICAL_NAME, s.field("at").schema().name());
        assertEquals(Date.LOGICAL_NAME, s.field("day").schema().name());
        Schema amount = s.field("amount").schema();
        assertEquals(Decimal.LOGICAL_NAME, amount.name());
        assertEquals("2", amount.parameters().get(Decimal.SCALE_FIELD));
        assertEquals("12", amount.parameters().get(SchemaSpec.DECIMAL_PRECISION_PARAM));
    }

    @Test
    void aQuestionMarkMakesAFieldOrAnElementOptional() {
        Schema s = SchemaSpec.parse("note:string?, tags:array<string?>, props:map<int64>?", null);
        assertTrue(s.field("note").schema().isOptional());
        assertFalse(s.field("tags").schema().isOptional());
        assertTrue(s.field("tags").schema().valueSchema().isOptional());
        assertTrue(s.field("props").schema().isOptional());
        assertEquals(Schema.Type.STRING, s.field("props").schema().keySchema().type());
        assertFalse(s.field("props").schema().valueSchema().isOptional());
    }

    @Test
    void structsNestInArrays() {
        Schema s = SchemaSpec.parse("items : array< struct< sku:string , qty:int32 > >", null);
        Schema item = s.field("items").schema().valueSchema();
        assertEquals(Schema.Type.STRUCT, item.type());
        assertEquals(List.of("sku", "qty"), item.fields().stream().map(Field::name).toList());
    }

    @Test
    void anUnknownTypeIsNamedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SchemaSpec.parse("id:string, amount:numbr", null));
        assertTrue(e.getMessage().contains("at character 19") && e.getMessage().contains("unknown type 'numbr'"),
            e.getMessage());
    }

    @Test
    void aFieldDefinedTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SchemaSpec.parse("id:string, id:int64", null));
        assertTrue(e.getMessage().contains("field 'id' is defined twice"), e.getMessage());
    }

    @Test
    void aMissingColonIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SchemaSpec.parse("id string", null));
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());
    }

    @Test
    void decimalPrecisionAndScaleAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("a:decimal(39,2)", null))
            .getMessage().contains("precision must be 1..38"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("a:decimal(2,3)", null))
            .getMessage().contains("scale 3 is larger than its precision 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("a:decimal(12)", null))
            .getMessage().contains("expected ','"));
    }

    @Test
    void nonAvroFieldNamesAndTrailingGarbageAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("order-id:string", null))
            .getMessage().contains("expected ':', got '-'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("a:string)", null))
            .getMessage().contains("expected ',' or the end"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SchemaSpec.parse("a:array<string", null))
            .getMessage().contains("expected '>', got the end"));
    }
}
