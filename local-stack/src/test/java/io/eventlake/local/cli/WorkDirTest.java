package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirTest {

    /** A benchmark's temporary folder, with a stack's nested files in it, is deleted whole. */
    @Test
    void aTemporaryWorkFolderIsDeletedWithEverythingInIt() throws Exception {
        Path dir = WorkDir.of(new Args(new String[] {"bench"}, 1, Set.of("data")), "eventlake-workdir-test");
        Files.createDirectories(dir.resolve("http-eos/data/kafka/topic-0"));
        Files.writeString(dir.resolve("http-eos/data/kafka/topic-0/00000.log"), "x");
        Files.writeString(dir.resolve("http-eos/lake.parquet"), "y");
        WorkDir.delete(dir);
        assertFalse(Files.exists(dir));
    }

    /** The user's own --data folder is used as it is, and kept. */
    @Test
    void theUsersDataFolderIsKept(@TempDir Path mine) throws Exception {
        Path dir = WorkDir.of(new Args(new String[] {"bench", "--data", mine.toString()}, 1, Set.of("data")), "x");
        assertEquals(mine, dir);
        assertTrue(Files.isDirectory(mine));
    }
}
