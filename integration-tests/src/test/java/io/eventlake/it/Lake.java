package io.eventlake.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the lake folder with DuckDB, an engine independent of the sink, as a user's query would. */
final class Lake {

    private Lake() {
    }

    /** {@code sql} may use the view {@code lake}: every Parquet file of the topic with Hive partition columns. */
    static List<Map<String, Object>> query(Path bucketDir, String topic, String sql) throws SQLException {
        String glob = bucketDir.resolve("topics").resolve(topic) + "/*/*/*/*/*.parquet";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = db.createStatement()) {
            st.execute("CREATE VIEW lake AS SELECT * FROM read_parquet('" + glob
                + "', hive_partitioning = true, filename = true)");
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
