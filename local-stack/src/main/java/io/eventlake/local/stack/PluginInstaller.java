package io.eventlake.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unzips a Confluent Hub-style plugin archive onto a worker's {@code plugin.path}, as a user would. */
public final class PluginInstaller {

    private PluginInstaller() {
    }

    /** Replaces any earlier copy of the archive's top folder; returns the installed plugin folder. */
    public static Path install(Path zip, Path pluginPath) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("plugin archive " + zip + " does not exist; build it with: mvn -B -DskipTests package");
        }
        Files.createDirectories(pluginPath);
        Path root = pluginPath.toAbsolutePath().normalize();
        Path top = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("archive entry " + entry.getName() + " escapes the plugin path");
                }
                Path first = root.resolve(root.relativize(target).getName(0));
                if (top == null) {
                    top = first;
                    delete(top);
                } else if (!top.equals(first)) {
                    throw new IOException(zip + " has more than one top folder: " + top + ", " + first);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(in, target);
                }
            }
        }
        if (top == null) {
            throw new IOException(zip + " is empty");
        }
        return top;
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
