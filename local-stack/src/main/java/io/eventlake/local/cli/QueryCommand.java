package io.eventlake.local.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.eventlake.local.query.LakeQuery;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * {@code eventlake query "SQL"}: SQL over the local lake with an embedded DuckDB, each topic a table with its Hive
 * partitions as columns. Needs no running stack: it reads the lake folder.
 */
final class QueryCommand {

    static final Set<String> OPTIONS = Set.of("lake", "topics-dir", "format");

    private final PrintStream out;
    private final PrintStream err;

    QueryCommand(PrintStream out) {
        this(out, System.err);
    }

    QueryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String sql, Args args) throws Exception {
        Path lake = args.getPath("lake", "lake").toAbsolutePath();
        String format = args.get("format", "table");
        if (!Set.of("table", "csv").contains(format)) {
            throw new IllegalArgumentException("--format must be table or csv, got '" + format + "'");
        }
        Path topics = lake.resolve(EmbeddedStack.BUCKET).resolve(args.get("topics-dir", "topics"));
        try (LakeQuery query = LakeQuery.open(lake, EmbeddedStack.BUCKET, args.get("topics-dir", "topics"))) {
            if (query.tables().isEmpty()) {
                out.println("No committed data under " + lake + " yet: run ./eventlake up first (or pass --lake).");
                return 1;
            }
            if (sql.isBlank() || sql.trim().equalsIgnoreCase("tables")) {
                out.println("Tables (one per topic): " + String.join(", ", query.tables()));
                out.println("e.g. ./eventlake query \"SELECT count(*) FROM " + query.tables().get(0) + "\"");
                return 0;
            }
            try {
                query.print(sql, out, format.equals("csv"));
            } catch (java.sql.SQLException mistake) {
                // DuckDB's message says what is wrong and where; a stack trace would only hide it.
                err.println("eventlake query: " + mistake.getMessage());
                return 2;
            }
            return 0;
        }
    }
}
