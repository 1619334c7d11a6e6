package io.eventlake.connect.sink.s3.partition;

import java.nio.charset.StandardCharsets;

/**
 * Hive-style folder names ({@code name=value}) with the characters Hive escapes written as {@code %XX}, so a value
 * with a slash, an equals sign or a space stays one folder that engines decode back to the value. A null or empty
 * value is Hive's default partition.
 */
public final class HivePaths {

    public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private HivePaths() {
    }

    public static String escape(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_PARTITION;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (needsEscape(c)) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    /** The characters Hive's FileUtils escapes in partition paths, plus space (unsafe in S3 keys and URLs). */
    static boolean needsEscape(char c) {
        if (c < 0x20 || c == 0x7F) {
            return true;
        }
        switch (c) {
            case '"': case '#': case '%': case '\'': case '*': case '/': case ':': case '=': case '?': case '\\':
            case '{': case '[': case ']': case '^': case ' ':
                return true;
            default:
                return false;
        }
    }
}
