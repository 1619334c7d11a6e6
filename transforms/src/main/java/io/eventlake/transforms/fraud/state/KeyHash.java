package io.eventlake.transforms.fraud.state;

import java.security.SecureRandom;

/**
 * SipHash-2-4 with its 128-bit output of a value's string form under a secret 128-bit key drawn once per JVM from
 * {@link SecureRandom}: the first 64 bits are the key's hash, by which the state tables find it, the other 64 its
 * check value, kept beside the hash so that keys whose hashes collide keep their own state. Keys
 * of the fraud state come from whoever sends events (the HTTP endpoint's clients among them): with an unkeyed hash a
 * client could craft ids that share another key's state or pile into one probe chain of a table on the task thread.
 * Under a secret key the 64-bit values cannot be predicted, so neither can be aimed at; two distinct keys still share
 * a hash by chance with probability about n^2 / 2^65 for n keys in a table (1 in 3.7 billion at 100,000 keys), and
 * hash and check value together about n^2 / 2^129.
 *
 * <p>The key changes with every worker JVM. No hash is ever persisted or compared across JVMs, so verdicts do not
 * depend on it (bar those chance collisions).
 */
public final class KeyHash {

    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private KeyHash() {
    }

    /** The keyed hash of {@code value}'s string form (its UTF-16 code units). */
    public static long of(Object value) {
        long[] out = new long[2];
        of(text(value), K0, K1, out, 0);
        return out[0];
    }

    /** The check value of {@code value}: the second half of the same 128-bit SipHash. */
    public static long check(Object value) {
        long[] out = new long[2];
        of(text(value), K0, K1, out, 0);
        return out[1];
    }

    /** Hash and check value of {@code value} in one pass, into {@code out[at]} and {@code out[at + 1]}. */
    public static void of(Object value, long[] out, int at) {
        of(text(value), K0, K1, out, at);
    }

    private static String text(Object value) {
        return value instanceof String s ? s : String.valueOf(value);
    }

    /**
     * SipHash-2-4-128 of the UTF-16 code units of {@code s} (little-endian, 4 per 64-bit word) under (k0, k1): the
     * first output word into {@code out[at]}, the second into {@code out[at + 1]}.
     */
    static void of(String s, long k0, long k1, long[] out, int at) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xee;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long m = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                | (long) s.charAt(i + 3) << 48;
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = ((long) (n * 2) & 0xff) << 56;
        for (int j = 0; i + j < n; j++) {
            last |= (long) s.charAt(i + j) << (16 * j);
        }
        v3 ^= last;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xee;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        out[at] = v0 ^ v1 ^ v2 ^ v3;
        v1 ^= 0xdd;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        out[at + 1] = v0 ^ v1 ^ v2 ^ v3;
    }
}
