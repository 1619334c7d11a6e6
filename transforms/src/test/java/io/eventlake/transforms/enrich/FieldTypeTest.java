package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class FieldTypeTest {

    @Test
    void infersTheNarrowestTypeEveryValueFits() {
        assertEquals(FieldType.BOOLEAN, FieldType.infer(Arrays.asList(true, null, false), false));
        assertEquals(FieldType.INT64, FieldType.infer(List.of(1L, 2), false));
        assertEquals(FieldType.FLOAT64, FieldType.infer(List.of(1L, 2.5), false));
        assertEquals(FieldType.STRING, FieldType.infer(List.of(1L, "a"), false));
        assertEquals(FieldType.STRING, FieldType.infer(List.of(new BigDecimal("1.5")), false));
        assertEquals(FieldType.STRING, FieldType.infer(List.of(), false));
    }

    @Test
    void csvTextThatLooksLikeANumberIsOneButNotWithALeadingZero() {
        assertEquals(FieldType.INT64, FieldType.infer(List.of("12", "-3", "0"), true));
        assertEquals(FieldType.FLOAT64, FieldType.infer(List.of("12", "0.5"), true));
        assertEquals(FieldType.BOOLEAN, FieldType.infer(List.of("true", "FALSE"), true));
        assertEquals(FieldType.STRING, FieldType.infer(List.of("01234", "12"), true));
        assertEquals(FieldType.STRING, FieldType.infer(List.of("12"), false), "JSON strings stay strings");
    }

    @Test
    void convertsOrSaysWhyNot() {
        assertEquals(42L, FieldType.INT64.convert("42"));
        assertEquals(42, FieldType.INT32.convert(42L));
        assertEquals(2.5, FieldType.FLOAT64.convert("2.5"));
        assertEquals(true, FieldType.BOOLEAN.convert("TRUE"));
        assertEquals("1.50", FieldType.STRING.convert(new BigDecimal("1.50")));
        assertEquals("'4.5' is not int64",
            assertThrows(IllegalArgumentException.class, () -> FieldType.INT64.convert(4.5)).getMessage());
        assertEquals("'x' is not boolean (true or false)",
            assertThrows(IllegalArgumentException.class, () -> FieldType.BOOLEAN.convert("x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FieldType.INT32.convert(1L << 40));
    }
}
