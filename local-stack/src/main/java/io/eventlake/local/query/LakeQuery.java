package io.eventlake.local.query;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * SQL over a local lake with an embedded DuckDB: every topic folder under {@code <bucket>/<topics dir>} is a view
 * named after the topic, over all its Parquet files with their Hive partitions as columns ({@code year},
 * {@code month}, {@code day}, {@code hour} as integers, field partitions as text) and schemas merged by name, so
 * files written before a schema grew read alongside the newer ones.
 */
public final class LakeQuery implements AutoCloseable {

    private static final Set<String> TIME_PARTS = Set.of("year", "month", "day", "hour");

    private final Connection db;
    private final List<String> tables = new ArrayList<>();
    private boolean fromTables;

    /**
     * The lake under {@code lakeDir}: its Iceberg tables' current snapshots (only committed files) when it has a
     * catalog, else every Parquet file under {@code <bucket>/<topicsDir>}. Views are named after topics either way,
     * with the Hive partitions of the file paths as columns.
     */
    public static LakeQuery open(Path lakeDir, String bucket, String topicsDir) throws SQLException, IOException {
        java.util.Optional<java.util.Map<String, List<Path>>> tables = LakeTables.committedFiles(lakeDir, "eventlake");
        if (tables.isPresent()) {
            return new LakeQuery(tables.get());
        }
        return new LakeQuery(lakeDir.resolve(bucket).resolve(topicsDir));
    }

    /** Views over given files: each topic's committed files of its table. */
    public LakeQuery(java.util.Map<String, List<Path>> filesByTopic) throws SQLException, IOException {
        this.db = DriverManager.getConnection("jdbc:duckdb:");
        this.fromTables = true;
        try (Statement st = db.createStatement()) {
            for (java.util.Map.Entry<String, List<Path>> e : filesByTopic.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                List<String> quoted = new ArrayList<>();
                Set<String> parts = new TreeSet<>();
                for (Path f : e.getValue()) {
                    quoted.add("'" + f.toString().replace("'", "''") + "'");
                    for (Path segment : f.getParent()) {
                        String n = segment.toString();
                        if (n.contains("=") && TIME_PARTS.contains(n.substring(0, n.indexOf('=')))) {
                            parts.add(n.substring(0, n.indexOf('=')));
                        }
                    }
                }
                st.execute("CREATE VIEW " + quote(e.getKey()) + " AS SELECT * FROM read_parquet([" + String.join(", ",
                    quoted) + "], hive_partitioning = true, union_by_name = true" + hiveTypes(parts) + ")");
                tables.add(e.getKey());
            }
        }
    }

    public LakeQuery(Path topicsDir) throws SQLException, IOException {
        this.db = DriverManager.getConnection("jdbc:duckdb:");
        if (!Files.isDirectory(topicsDir)) {
            return;
        }
        try (Stream<Path> topics = Files.list(topicsDir); Statement st = db.createStatement()) {
            for (Path topic : (Iterable<Path>) topics.filter(Files::isDirectory).sorted()::iterator) {
                if (!hasParquet(topic)) {
                    continue;
                }
                String name = topic.getFileName().toString();
                st.execute("CREATE VIEW " + quote(name) + " AS SELECT * FROM read_parquet('"
                    + topic.toString().replace("'", "''") + "/**/*.parquet', hive_partitioning = true, "
                    + "union_by_name = true" + hiveTypes(topic) + ")");
                tables.add(name);
            }
        }
    }

    /** Whether the views read Iceberg tables' current snapshots (not every file in the folders). */
    public boolean fromTables() {
        return fromTables;
    }

    /** The topics found, each a view. */
    public List<String> tables() {
        return tables;
    }

    private static boolean hasParquet(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")
                && !f.getFileName().toString().startsWith("."));
        }
    }

    /** Time partitions as integers: DuckDB would keep zero-padded values such as {@code 01} as text. */
    private static String hiveTypes(Path topic) throws IOException {
        Set<String> parts = new TreeSet<>();
        try (Stream<Path> dirs = Files.walk(topic)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(n -> n.contains("="))
                .map(n -> n.substring(0, n.indexOf('='))).filter(TIME_PARTS::contains).forEach(parts::add);
        }
        return hiveTypes(parts);
    }

    private static String hiveTypes(Set<String> parts) {
        if (parts.isEmpty()) {
            return "";
        }
        List<String> types = new ArrayList<>();
        for (String p : parts) {
            types.add("'" + p + "': INTEGER");
        }
        return ", hive_types = {" + String.join(", ", types) + "}";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Runs the statement and prints its rows as an aligned table (or CSV); returns the number of rows. */
    /** The rows of a query, each an array of its column values (JDBC objects). */
    public List<Object[]> rows(String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = rs.getObject(c + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public int print(String sql, PrintStream out, boolean csv) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String[]> rows = new ArrayList<>();
            String[] header = new String[n];
            for (int c = 0; c < n; c++) {
                header[c] = md.getColumnLabel(c + 1);
            }
            while (rs.next()) {
                String[] row = new String[n];
                for (int c = 0; c < n; c++) {
                    Object v = rs.getObject(c + 1);
                    row[c] = v == null ? (csv ? "" : "NULL") : v.toString();
                }
                rows.add(row);
            }
            if (csv) {
                out.println(String.join(",", csvCells(header)));
                rows.forEach(r -> out.println(String.join(",", csvCells(r))));
                return rows.size();
            }
            int[] width = new int[n];
            for (int c = 0; c < n; c++) {
                width[c] = header[c].length();
                for (String[] r : rows) {
                    width[c] = Math.max(width[c], r[c].length());
                }
            }
            out.println(line(header, width));
            StringBuilder rule = new StringBuilder();
            for (int c = 0; c < n; c++) {
                rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
            }
            out.println(rule);
            rows.forEach(r -> out.println(line(r, width)));
            out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
            return rows.size();
        }
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            b.append(c == 0 ? "" : " | ").append(String.format("%-" + width[c] + "s", cells[c]));
        }
        return b.toString().stripTrailing();
    }

    private static String[] csvCells(String[] row) {
        String[] out = new String[row.length];
        for (int i = 0; i < row.length; i++) {
            String v = row[i];
            out[i] = v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
