package io.eventlake.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** eventlake's own version, read from a resource the build fills in; every plugin's {@code version()} returns it. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the eventlake-common jar");
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version").trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read eventlake's version.properties", e);
        }
    }
}
