package io.eventlake.local.query;

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
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeQueryTest {

    @TempDir
    Path lake;

    private void parquet(String folder, String select) throws Exception {
        Path dir = lake.resolve(folder);
        Files.createDirectories(dir);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + dir.resolve("f+0+00000000000000000000+1.parquet") + "' "
                + "(FORMAT PARQUET)");
        }
    }

    @Test
    void eachTopicIsATableWithIntegerTimePartitionsAndMergedSchemas() throws Exception {
        parquet("orders/event_type=purchase/year=2026/month=01/day=05/hour=09", "SELECT 1 AS id, 10.5 AS amount");
        parquet("orders/event_type=view/year=2026/month=01/day=05/hour=10", "SELECT 2 AS id, 3.0 AS amount, "
            + "'n' AS note");
        parquet("clicks/year=2026/month=12/day=31/hour=23", "SELECT 'u1' AS user_id");
        try (LakeQuery q = new LakeQuery(lake)) {
            assertEquals(List.of("clicks", "orders"), q.tables());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int rows = q.print("SELECT event_type, month + 1 AS next_month, hour, note FROM orders ORDER BY id",
                new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
            assertEquals(2, rows);
            assertEquals("event_type,next_month,hour,note\npurchase,2,9,\nview,2,10,n\n",
                bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEmptyLakeHasNoTables() throws Exception {
        try (LakeQuery q = new LakeQuery(lake.resolve("nothing"))) {
            assertTrue(q.tables().isEmpty());
        }
    }
}
