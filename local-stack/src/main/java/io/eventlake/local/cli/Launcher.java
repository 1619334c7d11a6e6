package io.eventlake.local.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Entry point of the {@code eventlake} script: {@code up}, {@code query}, {@code bench} and {@code bench-http}. */
public final class Launcher {

    static final String USAGE = String.join("\n",
        "usage: eventlake up [--config DIR] [--data DIR] [--events N] [--http-port P] [--lake DIR]",
        "                    [--metrics-port P] [--plugin-zip ZIP] [--rate EVENTS_PER_S] [--timeout S]",
        "                    [--topic-partitions P] [--set CONNECTOR.KEY=VALUE[,...]]",
        "       eventlake bench [--events N] [--partitions P] [--flush-size N] [--part all|source|sink]",
        "                       [--exactly-once both|on|off] [--rounds R] [--scenario S] [--data DIR]",
        "                       [--plugin-zip ZIP]",
        "       eventlake bench-http [--duration S] [--batch N] [--single-connections C] [--batch-connections C]",
        "                            [--partitions P] [--exactly-once on|off|both] [--wrk PATH] [--data DIR]",
        "                            [--slow-clients N] [--plugin-zip ZIP]",
        "       eventlake bench-visible [--seconds S] [--rate R] [--interval-ms MS] [--partitions P]",
        "                               [--warmup-seconds W] [--data DIR] [--plugin-zip ZIP]",
        "",
        "  up          starts Kafka, Connect (with the plugin from its zip) and an S3 server in one JVM, runs the",
        "              connectors in config/ (or --config DIR) and shows progress; Ctrl-C stops it cleanly. With",
        "              --events N it exits 0 once N events are in the lake (default ./lake), valid or quarantined;",
        "              run again on the same --data/--lake after a crash to finish. --topic-partitions (3) for the",
        "              topics it creates; --metrics-port (a free one) for the Prometheus text endpoint.",
        "  bench       measures the generator against a plain producer (with and without exactly-once source",
        "              support), and the sink's events/s against a plain consumer reading the same topic.",
        "  bench-http  drives the HTTP ingest connector with wrk: acknowledged events/s and ack latency for",
        "              single events and batches, beside a plain producer (needs wrk: apt-get install wrk);",
        "              --slow-clients N runs both loads again beside N slow-loris connections (ratio printed).",
        "  bench-visible  produce-to-visible latency of the table-mode sink: a steady producer, a reader of the",
        "              Iceberg table every 50 ms; p50/p99/max against the commit interval + 2 s.",
        "  fraud-quality  the fraud flags' quality from the lake: with --events N it first runs the pipeline",
        "              (as up --events N, into a fresh ./fraud-quality) then reads the transactions table with",
        "              DuckDB: precision and recall of fraud_flagged, ROC AUC and average precision of fraud_score,",
        "              overall and per pattern, and the rules that fired [--lake DIR] [--set ...] [--rate R]",
        "  query       runs SQL over the local lake (DuckDB), each topic a table: eventlake query \"SELECT ...\"",
        "              [--lake DIR] [--format table|csv]; eventlake query tables lists them.");

    private Launcher() {
    }

    public static void main(String[] argv) {
        if (System.getProperty("eventlake.log.file") == null) {
            // Before anything logs: the stack's log goes to <data>/<command>.log, the terminal shows progress.
            int data = Arrays.asList(argv).indexOf("--data");
            String dir = data >= 0 && data + 1 < argv.length ? argv[data + 1] : ".eventlake";
            String command = argv.length > 0 ? argv[0] : "eventlake";
            System.setProperty("eventlake.log.file", Path.of(dir, command + ".log").toAbsolutePath().toString());
        }
        PrintStream out = System.out;
        int code;
        try {
            code = run(argv, out);
        } catch (IllegalArgumentException e) {
            System.err.println("eventlake: " + e.getMessage());
            System.err.println(USAGE);
            code = 64;
        } catch (Exception e) {
            if (UpCommand.stopping()) {
                parkForever();
            }
            System.err.println("eventlake: " + e);
            e.printStackTrace();
            code = 1;
        }
        out.flush();
        if (UpCommand.stopping()) {
            // Ctrl-C or SIGTERM: the shutdown hook stops the stack, and the JVM exits once it is done. Halting here
            // would cut the broker's shutdown short.
            parkForever();
        }
        // Connect and the broker leave non-daemon threads behind; the stack is already stopped here.
        Runtime.getRuntime().halt(code);
    }

    private static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static int run(String[] argv, PrintStream out) throws Exception {
        if (Arrays.stream(argv).anyMatch(a -> a.equals("-h") || a.equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        if (argv.length == 0 || "help".equals(argv[0])) {
            out.println(USAGE);
            return argv.length == 0 ? 64 : 0;
        }
        return switch (argv[0]) {
            case "up" -> new UpCommand(out).run(new Args(argv, 1, UpCommand.OPTIONS));
            case "bench" -> new BenchCommand(out).run(new Args(argv, 1, BenchCommand.OPTIONS));
            case "query" -> query(argv, out);
            case "bench-http" -> new HttpBenchCommand(out).run(new Args(argv, 1, HttpBenchCommand.OPTIONS));
            case "bench-visible" -> new VisibleLatencyBench(out).run(new Args(argv, 1, VisibleLatencyBench.OPTIONS));
            case "fraud-quality" -> new FraudQualityCommand(out).run(argv,
                new Args(argv, 1, FraudQualityCommand.OPTIONS));
            default -> throw new IllegalArgumentException("unknown command '" + argv[0] + "'");
        };
    }

    /** {@code query [SQL] [--lake DIR] [--format F]}: the SQL (or {@code tables}) may come before or after options. */
    private static int query(String[] argv, PrintStream out) throws Exception {
        List<String> options = new ArrayList<>();
        String sql = "";
        for (int i = 1; i < argv.length; i++) {
            if (argv[i].startsWith("--")) {
                options.add(argv[i]);
                if (i + 1 < argv.length) {
                    options.add(argv[++i]);
                }
            } else if (sql.isEmpty()) {
                sql = argv[i];
            } else {
                throw new IllegalArgumentException("query takes one SQL statement (quote it), got also '" + argv[i]
                    + "'");
            }
        }
        options.add(0, "query");
        return new QueryCommand(out).run(sql, new Args(options.toArray(String[]::new), 1, QueryCommand.OPTIONS));
    }

    /** The plugin zip: --plugin-zip, or the one the build left in distribution/target. */
    static Path pluginZip(Args args) throws IOException {
        if (args.has("plugin-zip")) {
            return args.getPath("plugin-zip", null);
        }
        Path target = Path.of("distribution", "target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                return files.filter(f -> f.getFileName().toString().matches("eventlake-.*\\.zip"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no plugin zip in " + target + "; run mvn -B -DskipTests package"));
            }
        }
        throw new IOException("no plugin zip: pass --plugin-zip or build with mvn -B -DskipTests package");
    }
}
