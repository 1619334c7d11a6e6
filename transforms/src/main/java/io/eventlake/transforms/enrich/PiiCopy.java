package io.eventlake.transforms.enrich;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import io.eventlake.transforms.util.FieldPath;

/** A derived copy of a sensitive field: hashed or masked, written to another field. */
abstract class PiiCopy {

    private final FieldPath source;
    private final String output;

    PiiCopy(FieldPath source, String output) {
        this.source = source;
        this.output = output;
    }

    FieldPath source() {
        return source;
    }

    String output() {
        return output;
    }

    /** The copy of the field's value (as text: numbers in plain form), or null when it is missing or null. */
    final String copyOf(Object record) {
        Object v = source.get(record);
        return v == null ? null : copy(KeyText.of(v));
    }

    abstract String copy(String text);

    /**
     * Lowercase hex SHA-256 of the salt's UTF-8 bytes followed by the value's, so it can be recomputed elsewhere
     * (DuckDB: {@code sha256(salt || value)}) to join on it, without the value being kept.
     */
    static final class Hash extends PiiCopy {
        private static final HexFormat HEX = HexFormat.of();
        private final byte[] salt;
        private final MessageDigest digest;

        Hash(FieldPath source, String output, String salt) {
            super(source, output);
            this.salt = salt.getBytes(StandardCharsets.UTF_8);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        @Override
        synchronized String copy(String text) {
            digest.update(salt);
            return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * The value with all but its last N characters replaced by the mask character; its length is kept. A value of
     * N characters or fewer is masked whole, so a short value is never shown in full.
     */
    static final class Mask extends PiiCopy {
        private final int keepLast;
        private final char mask;

        Mask(FieldPath source, String output, int keepLast, char mask) {
            super(source, output);
            this.keepLast = keepLast;
            this.mask = mask;
        }

        @Override
        String copy(String text) {
            int points = text.codePointCount(0, text.length());
            int masked = points <= keepLast ? points : points - keepLast;
            if (points == text.length()) {
                // No surrogate pairs (the usual case): characters are code points.
                char[] out = new char[points];
                Arrays.fill(out, 0, masked, mask);
                text.getChars(masked, points, out, masked);
                return new String(out);
            }
            StringBuilder sb = new StringBuilder(points);
            for (int i = 0; i < masked; i++) {
                sb.append(mask);
            }
            return sb.append(text, text.offsetByCodePoints(0, masked), text.length()).toString();
        }
    }
}
