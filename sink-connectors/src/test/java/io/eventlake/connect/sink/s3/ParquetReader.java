package io.eventlake.connect.sink.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Parquet bytes back with DuckDB, an independent reader, as rows of column name to value. */
public final class ParquetReader {

    private ParquetReader() {
    }

    public static List<Map<String, Object>> rows(byte[] parquet, String select) throws IOException, SQLException {
        return rows(List.of(parquet), select);
    }

    /** {@code select} uses the table name {@code t}, e.g. {@code SELECT * FROM t ORDER BY x}. */
    public static List<Map<String, Object>> rows(Collection<byte[]> files, String select)
        throws IOException, SQLException {
        Path dir = Files.createTempDirectory("parquet-read");
        try {
            List<String> paths = new ArrayList<>();
            int i = 0;
            for (byte[] file : files) {
                Path p = dir.resolve("f" + i++ + ".parquet");
                Files.write(p, file);
                paths.add("'" + p + "'");
            }
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                 Statement st = db.createStatement()) {
                st.execute("CREATE VIEW t AS SELECT * FROM read_parquet([" + String.join(",", paths) + "], union_by_name = true)");
                return query(st, select);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static List<Map<String, Object>> query(Statement st, String sql) throws SQLException {
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
