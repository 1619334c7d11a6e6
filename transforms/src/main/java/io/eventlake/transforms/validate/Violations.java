package io.eventlake.transforms.validate;

import java.util.ArrayList;
import java.util.List;

import io.eventlake.transforms.util.FieldPath;

/** What a record broke, in rule order; the list is only made for an invalid record. */
final class Violations {

    private List<String[]> entries;

    void add(String kind, FieldPath path, String problem) {
        if (entries == null) {
            entries = new ArrayList<>(4);
        }
        entries.add(new String[] {kind, path.path(), problem});
    }

    boolean isEmpty() {
        return entries == null;
    }

    int size() {
        return entries == null ? 0 : entries.size();
    }

    /** Readable: {@code range(amount): above 100000; required(user_id): missing}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (String[] e : entries) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e[0]).append('(').append(e[1]).append("): ").append(e[2]);
        }
        return sb.toString();
    }

    /** For machines: {@code range:amount,required:user_id}. */
    String rules() {
        StringBuilder sb = new StringBuilder();
        for (String[] e : entries) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e[0]).append(':').append(e[1]);
        }
        return sb.toString();
    }
}
