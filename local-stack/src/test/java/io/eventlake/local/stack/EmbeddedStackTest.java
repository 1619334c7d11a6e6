package io.eventlake.local.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class EmbeddedStackTest {

    /** Connect's answer when its REST port was taken: a ConnectException over an IOException over a BindException. */
    @Test
    void aRestServerThatCouldNotBindIsAPortTaken() {
        ConnectException taken = new ConnectException("Unable to initialize REST server",
            new IOException("Failed to bind to /127.0.0.1:35817", new BindException("Address already in use")));
        assertTrue(EmbeddedStack.portTaken(taken));
        assertFalse(EmbeddedStack.portTaken(new ConnectException("Unable to initialize REST server",
            new IOException("keystore not found"))));
    }
}
