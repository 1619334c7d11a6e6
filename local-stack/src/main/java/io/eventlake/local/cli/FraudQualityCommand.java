package io.eventlake.local.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.eventlake.local.query.FraudReport;
import io.eventlake.local.query.LakeQuery;
import io.eventlake.local.stack.EmbeddedStack;

/**
 * {@code eventlake fraud-quality}: the fraud flags' quality where a user sees them. With {@code --events N} it first
 * runs the pipeline as {@code up --events N} does (the connectors of {@code config/}, the plugin from its zip) into a
 * fresh lake, then reads the landed {@code transactions} table with DuckDB ({@link FraudReport}); without it, it
 * reports on the lake that {@code --lake} names.
 */
final class FraudQualityCommand {

    static final Set<String> OPTIONS = Set.of("events", "lake", "data", "rate", "config", "plugin-zip", "timeout",
        "topic-partitions", "set", "table");
    private static final Set<String> UP_OPTIONS = Set.of("events", "lake", "data", "rate", "config", "plugin-zip",
        "timeout", "topic-partitions", "set");

    private final PrintStream out;

    FraudQualityCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] argv, Args args) throws Exception {
        Path lake = args.getPath("lake", args.has("events") ? "fraud-quality/lake" : "lake").toAbsolutePath();
        if (args.has("events")) {
            Path data = args.getPath("data", "fraud-quality/data").toAbsolutePath();
            for (Path dir : List.of(lake, data)) {
                if (notEmpty(dir)) {
                    throw new IllegalArgumentException(dir + " is not empty: fraud-quality --events runs the pipeline "
                        + "into a fresh lake; delete it or pass other --lake/--data folders");
                }
            }
            List<String> up = new ArrayList<>(List.of("up"));
            for (int i = 1; i + 1 < argv.length; i += 2) {
                if (UP_OPTIONS.contains(argv[i].substring(2))) {
                    up.add(argv[i]);
                    up.add(argv[i + 1]);
                }
            }
            if (!args.has("lake")) {
                up.addAll(List.of("--lake", lake.toString()));
            }
            if (!args.has("data")) {
                up.addAll(List.of("--data", data.toString()));
            }
            out.println("Running the pipeline: eventlake " + String.join(" ", up.subList(1, up.size())));
            int rc = new UpCommand(out).run(new Args(up.toArray(String[]::new), 1, UpCommand.OPTIONS));
            if (rc != 0) {
                return rc;
            }
        }
        Path topics = lake.resolve(EmbeddedStack.BUCKET).resolve("topics");
        String table = args.get("table", "transactions");
        try (LakeQuery query = LakeQuery.open(lake, EmbeddedStack.BUCKET, "topics")) {
            if (!query.tables().contains(table)) {
                out.println("No " + table + " table under " + topics + ": run ./eventlake up first (or pass --lake).");
                return 1;
            }
            out.println();
            out.println("Fraud flags read back from " + (query.fromTables() ? "the current snapshot of table "
                + table + " under " + lake : topics.resolve(table).toString()) + " with DuckDB:");
            out.println();
            out.print(new FraudReport(query, table).markdown());
            return 0;
        }
    }

    private static boolean notEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }
}
