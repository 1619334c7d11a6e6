package io.eventlake.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benches and prints each result as a ratio to its baseline measured in the same run, since
 * absolute numbers on shared machines are noise: encoders against reading the Struct's fields.
 * Arguments are passed to JMH's include pattern (default: all eventlake benches).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
            .include(args.length > 0 ? args[0] : "io.eventlake.bench.*")
            .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> baseline = new HashMap<>();
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith(".readFields")) {
                baseline.put(r.getParams().getParam("codec"), r.getPrimaryResult().getScore());
            }
        }
        System.out.println();
        System.out.println("eventlake bench ratios (records/s over the readFields baseline of the same run):");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("io.eventlake.bench.", "");
            String codec = r.getParams().getParam("codec");
            double score = r.getPrimaryResult().getScore();
            Double base = codec == null ? null : baseline.get(codec);
            System.out.printf("  %-40s %-13s %,14.0f ops/s%s%n", name, codec == null ? "" : codec, score,
                base == null ? "" : String.format("   ratio to readFields %.4f", score / base));
        }
    }
}
