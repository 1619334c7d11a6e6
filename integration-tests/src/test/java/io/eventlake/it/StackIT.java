package io.eventlake.it;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.eventlake.local.stack.EmbeddedStack;

/**
 * The set-up the pipeline ITs share: one embedded stack per test class (Kafka, a Connect worker with the plugin from
 * its zip, the S3 server), in a folder of its own that is deleted afterwards. Test classes run one after another, so
 * the static fields belong to the class running. A subclass that needs more set-up adds its own {@code @BeforeAll}
 * (under another name), which JUnit runs after this one.
 */
abstract class StackIT {

    @TempDir
    static Path work;
    static EmbeddedStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = ItStack.start(work);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
