package io.eventlake.transforms.fraud.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** Key 00 01 .. 0f of the SipHash paper's test vectors, as the two little-endian words. */
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    /** Bytes 00 01 .. (2n-1) as n UTF-16 code units (little-endian pairs), the form KeyHash reads a string in. */
    private static String bytes(int byteCount) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < byteCount; i += 2) {
            b.append((char) (i | (i + 1) << 8));
        }
        return b.toString();
    }

    private static long[] sip(String s, long k0, long k1) {
        long[] out = new long[2];
        KeyHash.of(s, k0, k1, out, 0);
        return out;
    }

    /** The reference SipHash-2-4-128 vectors for 0, 2 and 8 bytes (vectors_sip128 of the reference code). */
    @Test
    void matchesTheReferenceSipHash24With128BitOutputVectors() {
        assertArrayEquals(new long[] {0xe6a825ba047f81a3L, 0x930255c71472f66dL}, sip("", K0, K1));
        assertArrayEquals(new long[] {0xc75da4a48d227781L, 0xe4ff0af6de8ba3fcL}, sip(bytes(2), K0, K1));
        assertArrayEquals(new long[] {0x61f55862baa9623bL, 0xb49714f364e2830fL}, sip(bytes(8), K0, K1));
    }

    @Test
    void anotherKeyGivesOtherHashesSoSlotsCannotBePredictedWithoutIt() {
        assertNotEquals(sip("u-42", K0, K1)[0], sip("u-42", K0 + 1, K1)[0]);
        assertNotEquals(sip("u-42", K0, K1)[0], sip("u-42", K0, K1 + 1)[0]);
        // The JVM's own secret key is not the paper's.
        assertNotEquals(sip("u-42", K0, K1)[0], KeyHash.of("u-42"));
        assertEquals(KeyHash.of("u-42"), KeyHash.of("u-42"));
    }

    /** The check value is the hash's second half: stable for a value, another value than the hash, per value. */
    @Test
    void theCheckValueIsASecondIndependentKeyedHash() {
        assertEquals(KeyHash.check("u-42"), KeyHash.check("u-42"));
        assertNotEquals(KeyHash.of("u-42"), KeyHash.check("u-42"));
        assertNotEquals(KeyHash.check("u-42"), KeyHash.check("u-43"));
        assertEquals(KeyHash.check("42"), KeyHash.check(42), "a value's string form");
        long[] both = new long[3];
        KeyHash.of("u-42", both, 1);
        assertEquals(KeyHash.of("u-42"), both[1]);
        assertEquals(KeyHash.check("u-42"), both[2]);
    }
}
