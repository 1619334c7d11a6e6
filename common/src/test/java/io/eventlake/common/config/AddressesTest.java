package io.eventlake.common.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void loopbackAddressesAndNamesAreRecognisedAndOthersAreNot() {
        for (String loopback : List.of("localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]",
            "0:0:0:0:0:0:0:1", " 127.0.0.1 ")) {
            assertTrue(Addresses.isLoopback(loopback), loopback);
        }
        for (String open : List.of("0.0.0.0", "10.1.2.3", "s3.amazonaws.com", "minio", "::", "[::]", "128.0.0.1")) {
            assertFalse(Addresses.isLoopback(open), open);
        }
    }
}
