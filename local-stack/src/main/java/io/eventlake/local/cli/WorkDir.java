package io.eventlake.local.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

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
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // best effort
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException ignored) {
                        // best effort: not empty if a file could not go
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("Could not delete the benchmark's work folder " + dir + ": " + e.getMessage());
        }
    }
}
