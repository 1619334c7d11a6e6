package io.eventlake.it;

import java.nio.file.Path;

import io.eventlake.local.stack.EmbeddedStack;

/** The embedded stack of an integration test: its folders under the test's work folder, the built zip installed. */
final class ItStack {

    private ItStack() {
    }

    /** The zip the build made ({@code eventlake.plugin.zip}, set by the failsafe configuration). */
    static Path pluginZip() {
        return Path.of(System.getProperty("eventlake.plugin.zip"));
    }

    /** A builder for {@code work/data} and {@code work/lake} with the plugin zip, for tests that set more. */
    static EmbeddedStack.Builder builder(Path work) {
        return EmbeddedStack.builder(work.resolve("data"), work.resolve("lake")).pluginZip(pluginZip());
    }

    /** The stack started on {@code work/data} and {@code work/lake} with the plugin zip. */
    static EmbeddedStack start(Path work) throws Exception {
        return builder(work).build().start();
    }
}
