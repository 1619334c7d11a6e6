package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> rows(String text) throws IOException {
        CsvReader csv = new CsvReader(new StringReader(text));
        List<List<String>> rows = new ArrayList<>();
        List<String> row;
        while ((row = csv.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    @Test
    void readsPlainRowsWithLfOrCrlf() throws IOException {
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2")), rows("a,b\r\n1,2\n"));
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2")), rows("a,b\n1,2"));
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
        assertEquals(List.of(List.of("x, y", "say \"hi\"", "two\nlines")),
            rows("\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"));
    }

    @Test
    void anEmptyFieldIsNullAndAQuotedEmptyOneIsEmpty() throws IOException {
        assertEquals(Arrays.asList(null, "", null), rows(",\"\",\n").get(0));
    }

    @Test
    void blankLinesAndALeadingBomAreSkipped() throws IOException {
        assertEquals(List.of(List.of("a"), List.of("b")), rows("\uFEFFa\n\n\r\nb\n"));
        assertNull(new CsvReader(new StringReader("")).next());
    }

    @Test
    void anUnclosedQuoteIsRefusedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rows("a\n\"b,c\n"));
        assertTrue(e.getMessage().startsWith("line 2: a quoted field is not closed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rows("a\"b\n"));
        assertThrows(IllegalArgumentException.class, () -> rows("\"a\"b\n"));
    }
}
