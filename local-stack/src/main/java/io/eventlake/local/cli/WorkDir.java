package io.eventlake.local.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The work folder of a benchmark command: the user's {@code --data}, kept; else a temporary folder, deleted when the
 * launcher's JVM exits (also on Ctrl-C). A benchmark's stack holds a broker log and a lake of a gigabyte or more, and
 * each run used to leave its own behind in the temporary folder until the disk was full.
 */
final class WorkDir {

    private WorkDir() {
    }

    static Path of(Args args, String prefix) throws IOException {
        if (args.has("data")) {
            return args.getPath("data", null);
        }
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir));
        return dir;
    }

    /** Deletes the folder and everything under it, as far as it can (best effort: a file in use stays). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            // Deepest first, so each folder is empty when its turn comes.
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the benchmark's work folder " + dir + ": " + e.getMessage());
        }
    }
}
