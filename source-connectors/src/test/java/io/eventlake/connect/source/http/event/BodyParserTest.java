package io.eventlake.connect.source.http.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.http.event.BodyParser.Format;

class BodyParserTest {

    static final String SCHEMA = "id:string, user:string, amount:decimal(12,2), at:timestamp, qty:int32?, "
        + "note:string?, tags:array<string>?, props:map<int64>?, items:array<struct<sku:string,qty:int32>>?, "
        + "day:date?, raw:bytes?, ok:boolean?, score:float64?";
    static final long RECEIVED = 1_000L;
    static final long AT = Instant.parse("2026-11-24T15:04:05Z").toEpochMilli();
    static final String ONE = "{\"id\":\"e1\",\"user\":\"u1\",\"amount\":12.5,\"at\":\"2026-11-24T15:04:05Z\"}";

    private static BodyParser parser(String schema, String key, String time, String format, boolean ignoreUnknown) {
        Schema s = schema == null ? null : SchemaSpec.parse(schema, "test.Event");
        return new BodyParser(new EventReader(s, key, time, TimeParser.of(format, ZoneId.of("UTC")), ignoreUnknown));
    }

    private static BodyParser parser() {
        return parser(SCHEMA, "user", "at", "iso8601", false);
    }

    private static List<Event> parse(BodyParser parser, String body, Format format) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, bytes.length, format, RECEIVED);
    }

    private static InvalidBodyException invalid(BodyParser parser, String body, Format format) {
        return assertThrows(InvalidBodyException.class, () -> parse(parser, body, format));
    }

    @Test
    void aSingleObjectIsOneEvent() {
        List<Event> events = parse(parser(), ONE, Format.JSON);
        assertEquals(1, events.size());
        Struct v = (Struct) events.get(0).value();
        assertEquals("e1", v.getString("id"));
        assertEquals(new BigDecimal("12.50"), v.get("amount"));
        assertEquals("u1", events.get(0).key());
        assertEquals(AT, events.get(0).timestamp());
        assertEquals(new java.util.Date(AT), v.get("at"));
    }

    @Test
    void anArrayIsOneEventPerElementInOrder() {
        List<Event> events = parse(parser(), "[" + ONE + ",\n" + ONE.replace("e1", "e2") + "]", Format.JSON);
        assertEquals(List.of("e1", "e2"), events.stream().map(e -> ((Struct) e.value()).getString("id")).toList());
    }

    @Test
    void ndjsonIsOneEventPerLineAndBlankLinesAreSkipped() {
        String body = ONE + "\n\n" + ONE.replace("e1", "e2") + "\r\n" + ONE.replace("e1", "e3") + "\n";
        List<Event> events = parse(parser(), body, Format.NDJSON);
        assertEquals(List.of("e1", "e2", "e3"), events.stream().map(e -> ((Struct) e.value()).getString("id"))
            .toList());
    }

    @Test
    void malformedJsonNamesItsLine() {
        InvalidBodyException e = invalid(parser(), ONE + "\n" + "{\"id\":\"e2\",\"user\" \"u1\"}\n", Format.NDJSON);
        assertEquals(2, e.line());
        assertEquals(2, e.event());
        assertTrue(e.getMessage().startsWith("line 2, event 2, malformed JSON: "), e.getMessage());
    }

    @Test
    void anUnclosedArrayIsMalformed() {
        InvalidBodyException e = invalid(parser(), "[" + ONE + ",", Format.JSON);
        assertTrue(e.problem().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void twoEventsOnOneNdjsonLineAreRefused() {
        InvalidBodyException e = invalid(parser(), ONE + ONE, Format.NDJSON);
        assertEquals(1, e.line());
        assertTrue(e.problem().contains("same line"), e.getMessage());
    }

    @Test
    void anNdjsonEventSpanningLinesIsRefused() {
        InvalidBodyException e = invalid(parser(), ONE.replace(",\"user\"", ",\n\"user\""), Format.NDJSON);
        assertTrue(e.problem().contains("spans lines 1 to 2"), e.getMessage());
    }

    @Test
    void contentAfterTheJsonValueIsRefused() {
        InvalidBodyException e = invalid(parser(), ONE + "\n" + ONE, Format.JSON);
        assertEquals(2, e.line());
        assertTrue(e.problem().contains("application/x-ndjson"), e.getMessage());
    }

    @Test
    void anEmptyBodyOrArrayHasNoEvents() {
        assertEquals("the request has no events", invalid(parser(), "", Format.JSON).problem());
        assertEquals("the request has no events", invalid(parser(), " [ ] ", Format.JSON).problem());
        assertEquals("the request has no events", invalid(parser(), "\n\n", Format.NDJSON).problem());
    }

    @Test
    void aNonObjectEventIsRefusedWithItsPosition() {
        InvalidBodyException e = invalid(parser(), "[" + ONE + ",\n42]", Format.JSON);
        assertEquals(2, e.event());
        assertEquals(2, e.line());
        assertTrue(e.problem().contains("must be a JSON object, got an integer"), e.getMessage());
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        String third = ONE.replace(",\"amount\":12.5", "");
        InvalidBodyException e = invalid(parser(), ONE + "\n" + ONE + "\n" + third, Format.NDJSON);
        assertEquals(3, e.line());
        assertEquals(3, e.event());
        assertEquals("amount", e.field());
        assertEquals("line 3, event 3, field 'amount': missing required field", e.getMessage());
    }

    @Test
    void aWrongTypeIsNamed() {
        InvalidBodyException e = invalid(parser(), ONE.replace("\"user\":\"u1\"", "\"user\":7"), Format.JSON);
        assertEquals("user", e.field());
        assertEquals("expected a string, got an integer", e.problem());
        InvalidBodyException qty = invalid(parser(), ONE.replace("}", ",\"qty\":1.5}"), Format.JSON);
        assertEquals("expected an integer, got a decimal number", qty.problem());
        InvalidBodyException big = invalid(parser(), ONE.replace("}", ",\"qty\":3000000000}"), Format.JSON);
        assertEquals("3000000000 is out of the range of int32", big.problem());
    }

    @Test
    void nullIsAllowedOnlyInOptionalFields() {
        Struct v = (Struct) parse(parser(), ONE.replace("}", ",\"note\":null}"), Format.JSON).get(0).value();
        assertNull(v.get("note"));
        InvalidBodyException e = invalid(parser(), ONE.replace("\"e1\"", "null"), Format.JSON);
        assertEquals("id", e.field());
        assertEquals("must not be null", e.problem());
    }

    @Test
    void unknownFieldsAreRefusedOrIgnoredAsConfigured() {
        String body = ONE.replace("}", ",\"extra\":{\"deep\":[1,2]}}");
        InvalidBodyException e = invalid(parser(), body, Format.JSON);
        assertEquals("extra", e.field());
        assertTrue(e.problem().startsWith("unknown field"), e.getMessage());
        Struct v = (Struct) parse(parser(SCHEMA, "user", "at", "iso8601", true), body, Format.JSON).get(0).value();
        assertEquals("e1", v.getString("id"));
    }

    @Test
    void aFieldTwiceIsRefused() {
        InvalidBodyException e = invalid(parser(), ONE.replace("}", ",\"id\":\"again\"}"), Format.JSON);
        assertEquals("id", e.field());
        assertEquals("appears twice", e.problem());
    }

    @Test
    void decimalsAreExactAndNeverRounded() {
        Struct v = (Struct) parse(parser(), ONE.replace("12.5", "\"0.10\""), Format.JSON).get(0).value();
        assertEquals(new BigDecimal("0.10"), v.get("amount"));
        assertEquals("12.345 has more than 2 decimal places",
            invalid(parser(), ONE.replace("12.5", "12.345"), Format.JSON).problem());
        assertEquals("12345678901.5 has more than 12 digits (decimal(12,2))",
            invalid(parser(), ONE.replace("12.5", "12345678901.5"), Format.JSON).problem());
        assertEquals("'ten' is not a decimal number", invalid(parser(), ONE.replace("12.5", "\"ten\""),
            Format.JSON).problem());
    }

    @Test
    void nestedValuesMapToTheirSchemas() {
        String body = ONE.replace("}", ",\"tags\":[\"a\",\"b\"],\"props\":{\"x\":1},\"items\":[{\"sku\":\"s1\","
            + "\"qty\":2}],\"day\":\"2026-11-24\",\"raw\":\"AQI=\",\"ok\":true,\"score\":0.5}");
        Struct v = (Struct) parse(parser(), body, Format.JSON).get(0).value();
        assertEquals(List.of("a", "b"), v.getArray("tags"));
        assertEquals(Map.of("x", 1L), v.getMap("props"));
        Struct item = (Struct) v.getArray("items").get(0);
        assertEquals("s1", item.getString("sku"));
        assertEquals(2, item.getInt32("qty"));
        assertEquals(new java.util.Date(Instant.parse("2026-11-24T00:00:00Z").toEpochMilli()), v.get("day"));
        assertArrayEquals(new byte[] {1, 2}, v.getBytes("raw"));
        assertEquals(true, v.getBoolean("ok"));
        assertEquals(0.5, v.getFloat64("score"));
        v.validate();
    }

    @Test
    void aNestedProblemNamesItsPath() {
        String body = ONE.replace("}", ",\"items\":[{\"sku\":\"s1\",\"qty\":2},{\"sku\":\"s2\",\"qty\":\"x\"}]}");
        InvalidBodyException e = invalid(parser(), body, Format.JSON);
        assertEquals("items[1].qty", e.field());
        assertEquals("expected an integer, got a string", e.problem());
    }

    @Test
    void badDatesAndBase64AreNamed() {
        assertEquals("'24/11/2026' is not an ISO date such as 2026-11-24",
            invalid(parser(), ONE.replace("}", ",\"day\":\"24/11/2026\"}"), Format.JSON).problem());
        assertTrue(invalid(parser(), ONE.replace("}", ",\"raw\":\"***\"}"), Format.JSON).problem()
            .startsWith("not valid base64"));
    }

    @Test
    void theEventTimeFollowsTheConfiguredFormat() {
        String millis = ONE.replace("\"2026-11-24T15:04:05Z\"", Long.toString(AT));
        assertEquals(AT, parse(parser(SCHEMA, "user", "at", "epoch_millis", false), millis, Format.JSON).get(0)
            .timestamp());
        String pattern = ONE.replace("2026-11-24T15:04:05Z", "24.11.2026 15:04:05");
        assertEquals(AT, parse(parser(SCHEMA, "user", "at", "dd.MM.yyyy HH:mm:ss", false), pattern, Format.JSON)
            .get(0).timestamp());
        InvalidBodyException e = invalid(parser(SCHEMA, "user", "at", "epoch_millis", false), ONE, Format.JSON);
        assertEquals("at", e.field());
        assertEquals("expected epoch milliseconds (a JSON integer), got a string", e.problem());
    }

    @Test
    void anInt64TimeFieldHoldsEpochMillis() {
        BodyParser p = parser("id:string, at:int64", "", "at", "iso8601", false);
        Event e = parse(p, "{\"id\":\"e1\",\"at\":\"2026-11-24T15:04:05Z\"}", Format.JSON).get(0);
        assertEquals(AT, ((Struct) e.value()).getInt64("at"));
        assertEquals(AT, e.timestamp());
        assertNull(e.key());
    }

    @Test
    void withoutATimeFieldEventsAreStampedOnArrival() {
        BodyParser p = parser("id:string", "", "", "iso8601", false);
        assertEquals(RECEIVED, parse(p, "{\"id\":\"e1\"}", Format.JSON).get(0).timestamp());
    }

    @Test
    void anIntegerKeyFieldBecomesText() {
        BodyParser p = parser("id:int64, at:timestamp", "id", "at", "iso8601", false);
        assertEquals("42", parse(p, "{\"id\":42,\"at\":\"2026-11-24T15:04:05Z\"}", Format.JSON).get(0).key());
    }

    @Test
    void anOptionalKeyFieldMustStillBePresent() {
        BodyParser p = parser("id:string?, at:timestamp", "id", "at", "iso8601", false);
        InvalidBodyException e = invalid(p, "{\"at\":\"2026-11-24T15:04:05Z\"}", Format.JSON);
        assertEquals("id", e.field());
        assertEquals("missing key field (event.key.field)", e.problem());
    }

    @Test
    void keyAndTimeFieldsMustFitTheSchema() {
        Schema s = SchemaSpec.parse("id:string, at:string, tags:array<string>", null);
        TimeParser iso = TimeParser.of("iso8601", ZoneId.of("UTC"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventReader(s, "nope", "", iso, false))
            .getMessage().contains("'nope' is not a field of event.schema"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventReader(s, "tags", "", iso, false))
            .getMessage().contains("a key field must be a string, an integer or a boolean"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EventReader(s, "", "at", iso, false))
            .getMessage().contains("must be a timestamp or an int64"));
    }

    @Test
    void schemalessEventsAreMapsOfJsonTypes() {
        BodyParser p = parser(null, "user", "at", "iso8601", false);
        Event e = parse(p, "{\"user\":\"u1\",\"at\":\"2026-11-24T15:04:05Z\",\"n\":3,\"x\":1.5,\"b\":false,"
            + "\"o\":{\"l\":[1,\"a\",null]}}", Format.JSON).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) e.value();
        assertEquals(3L, v.get("n"));
        assertEquals(1.5, v.get("x"));
        assertEquals(false, v.get("b"));
        assertEquals(Map.of("l", java.util.Arrays.asList(1L, "a", null)), v.get("o"));
        // The map keeps the time as sent; the record timestamp carries the parsed instant.
        assertEquals("2026-11-24T15:04:05Z", v.get("at"));
        assertEquals(AT, e.timestamp());
        assertEquals("u1", e.key());
    }

    @Test
    void schemalessKeysAndTimesAreChecked() {
        BodyParser p = parser(null, "user", "at", "iso8601", false);
        InvalidBodyException key = invalid(p, "{\"user\":{\"id\":1},\"at\":\"2026-11-24T15:04:05Z\"}", Format.JSON);
        assertEquals("user", key.field());
        assertEquals("a key must be a string, an integer or a boolean, got an object", key.problem());
        InvalidBodyException time = invalid(p, "{\"user\":\"u\",\"at\":\"soon\"}", Format.JSON);
        assertEquals("at", time.field());
        InvalidBodyException missing = invalid(p, "{\"user\":\"u\"}", Format.JSON);
        assertEquals("missing event time field (event.time.field)", missing.problem());
        InvalidBodyException huge = invalid(p, "{\"user\":\"u\",\"at\":\"2026-11-24T15:04:05Z\",\"n\":"
            + "123456789012345678901234567890}", Format.JSON);
        assertEquals("n", huge.field());
    }
}
