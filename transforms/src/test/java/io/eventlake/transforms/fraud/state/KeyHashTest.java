package io.eventlake.transforms.fraud.state;

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

    @Test
    void matchesTheReferenceSipHash24Vectors() {
        assertEquals(0x726fdb47dd0e0e31L, KeyHash.of("", K0, K1));
        assertEquals(0x93f5f5799a932462L, KeyHash.of(bytes(8), K0, K1));
    }

    @Test
    void anotherKeyGivesOtherHashesSoSlotsCannotBePredictedWithoutIt() {
        assertNotEquals(KeyHash.of("u-42", K0, K1), KeyHash.of("u-42", K0 + 1, K1));
        assertNotEquals(KeyHash.of("u-42", K0, K1), KeyHash.of("u-42", K0, K1 + 1));
        // The JVM's own secret key is not the paper's.
        assertNotEquals(KeyHash.of("u-42", K0, K1), KeyHash.of("u-42"));
        assertEquals(KeyHash.of("u-42"), KeyHash.of("u-42"));
    }
}
