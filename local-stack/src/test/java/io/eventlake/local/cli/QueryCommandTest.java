package io.eventlake.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {

    @TempDir
    Path lake;

    /** An SQL mistake is answered with DuckDB's message, once, and no stack trace; the exit code is 2. */
    @Test
    void anSqlMistakeIsAnsweredWithTheMessageOnce() throws Exception {
        Path dir = lake.resolve("eventlake/topics/t/year=2026");
        Files.createDirectories(dir);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (SELECT 1 AS id) TO '" + dir.resolve("f.parquet") + "' (FORMAT PARQUET)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new QueryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)).run("SELEC id FROM t",
            new Args(new String[] {"query", "--lake", lake.toString()}, 1, QueryCommand.OPTIONS));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(message.startsWith("eventlake query: ") && message.contains("syntax error"), message);
        assertEquals(1, message.lines().filter(l -> l.contains("syntax error")).count(), message);
        assertTrue(!message.contains("\tat "), "no stack trace: " + message);
    }
}
