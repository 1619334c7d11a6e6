package io.eventlake.bench;

import java.util.Collection;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TransformsBench} with the GC profiler and prints, per transform, ns and bytes allocated per record
 * and the time as a ratio to Kafka's InsertField measured in the same run (absolute figures on shared machines
 * are noise; the ratio is what compares).
 */
public final class TransformsBenchMain {

    private TransformsBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
            .include(TransformsBench.class.getName() + (args.length > 0 ? "." + args[0] : ""))
            .addProfiler(GCProfiler.class)
            .build();
        Collection<RunResult> results = new Runner(options).run();
        double baseline = Double.NaN;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith(".insertFieldBaseline")) {
                baseline = r.getPrimaryResult().getScore();
            }
        }
        System.out.println();
        System.out.println("eventlake transforms, per record (ratio: time over Kafka's InsertField in this run):");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace(TransformsBench.class.getName() + ".", "");
            double ns = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf("  %-24s %8.1f ns ± %5.1f %8.0f B   ratio %5.2f%n", name, ns,
                r.getPrimaryResult().getScoreError(), alloc == null ? Double.NaN : alloc.getScore(), ns / baseline);
        }
    }
}
