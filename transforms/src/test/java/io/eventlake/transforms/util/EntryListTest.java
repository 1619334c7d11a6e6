package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class EntryListTest {

    @Test
    void splitsOnCommasAndTrims() {
        assertEquals(List.of("a:x", "b:y"), EntryList.split(" a:x , b:y ,"));
    }

    @Test
    void anEscapedCommaStaysInItsEntry() {
        assertEquals(List.of("code:[0-9]{2,4}", "b:y"), EntryList.split("code:[0-9]{2\\,4},b:y"));
    }

    @Test
    void emptyOrNullIsNoEntry() {
        assertEquals(List.of(), EntryList.split(""));
        assertEquals(List.of(), EntryList.split(null));
    }
}
