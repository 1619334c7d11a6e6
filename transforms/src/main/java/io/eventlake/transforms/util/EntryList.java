package io.eventlake.transforms.util;

import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated list in a single string config value whose entries may themselves hold commas, written
 * {@code \,} (regular expressions: {@code a{1\,3}}). Kafka's LIST type cannot carry those: it splits on every comma.
 */
public final class EntryList {

    private EntryList() {
    }

    /** The trimmed, non-empty entries, with each {@code \,} turned back into a comma. */
    public static List<String> split(String text) {
        List<String> entries = new ArrayList<>();
        if (text == null) {
            return entries;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                add(entries, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(entries, current);
        return entries;
    }

    private static void add(List<String> entries, StringBuilder entry) {
        String trimmed = entry.toString().trim();
        if (!trimmed.isEmpty()) {
            entries.add(trimmed);
        }
    }
}
