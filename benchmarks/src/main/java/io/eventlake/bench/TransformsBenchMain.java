package io.eventlake.bench;

import java.util.Collection;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TransformsBench} with the GC profiler and prints, per transform, ns and bytes allocated per record
 * and the time as a ratio to Kafka's InsertField measured in the same run (absolute figures on shared machines
 * are noise; the ratio is what compares). Many short iterations, summarised by their median and minimum: on a
 * shared machine another process's burst spoils a few iterations, and a mean would carry it.
 */
public final class TransformsBenchMain {

    private TransformsBenchMain() {
    }

    private static double[] iterations(RunResult r) {
        return r.getBenchmarkResults().stream().flatMap(b -> b.getIterationResults().stream())
            .mapToDouble(i -> i.getPrimaryResult().getScore()).sorted().toArray();
    }

    private static double median(RunResult r) {
        double[] s = iterations(r);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(RunResult r) {
        return iterations(r)[0];
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
            .include(TransformsBench.class.getName() + (args.length > 0 ? "." + args[0] : ""))
            .addProfiler(GCProfiler.class)
            .warmupIterations(4).warmupTime(TimeValue.seconds(1))
            .measurementIterations(12).measurementTime(TimeValue.seconds(1))
            .build();
        Collection<RunResult> results = new Runner(options).run();
        double baseline = Double.NaN;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith(".insertFieldBaseline")) {
                baseline = median(r);
            }
        }
        System.out.println();
        System.out.println("eventlake transforms, per record; ratio: median time over Kafka's InsertField's in this "
            + "run");
        System.out.printf("  %-24s %10s %10s %10s %8s%n", "", "median ns", "min ns", "alloc B", "ratio");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace(TransformsBench.class.getName() + ".", "");
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf("  %-24s %10.1f %10.1f %10.0f %8.2f%n", name, median(r), min(r),
                alloc == null ? Double.NaN : alloc.getScore(), median(r) / baseline);
        }
    }
}
