package io.eventlake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * What {@link TransformChainBench} measures, as a ratio that survives a shared machine: the whole transactions chain
 * and Kafka's InsertField run in alternating slices of {@value #OPS} records (the order swapped every round), each
 * slice timed in the thread's CPU time, so both see the same moment's load and a wait for a core counts for
 * neither. Prints the median CPU ns per record of each, each SMT alone, and the chain's ratio to InsertField (the
 * median of the per-round ratios).
 * <pre>java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.eventlake.bench.TransformChainRatio [rounds]</pre>
 */
public final class TransformChainRatio {

    private static final int OPS = 20_000;
    private static final int WARMUP_ROUNDS = 40;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    private TransformChainRatio() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        TransformChainBench bench = new TransformChainBench();
        bench.setUp();
        String[] names = {"insertFieldBaseline", "chain", "validateOnly", "deriveOnly", "fraudOnly"};
        @SuppressWarnings("unchecked")
        Supplier<SourceRecord>[] runs = new Supplier[] {bench::insertFieldBaseline, bench::chain, bench::validateOnly,
            bench::deriveOnly, bench::fraudOnly};
        for (int r = 0; r < WARMUP_ROUNDS; r++) {
            for (Supplier<SourceRecord> run : runs) {
                slice(run);
            }
        }
        double[][] ns = new double[runs.length][rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < runs.length; k++) {
                int i = r % 2 == 0 ? k : runs.length - 1 - k;
                ns[i][r] = slice(runs[i]);
            }
            ratios[r] = ns[1][r] / ns[0][r];
        }
        System.out.printf("%-20s %14s%n", "transform", "CPU ns/record");
        for (int i = 0; i < runs.length; i++) {
            System.out.printf("%-20s %,14.0f%n", names[i], median(ns[i]));
        }
        System.out.printf("chain / InsertField: %.2f (median of %d rounds of %,d records each; quartiles %.2f-%.2f)%n",
            median(ratios), rounds, OPS, quantile(ratios, 0.25), quantile(ratios, 0.75));
        System.out.println("(checksum " + (sink & 0xff) + ")");
        bench.tearDown();
    }

    private static double slice(Supplier<SourceRecord> run) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long h = 0;
        for (int i = 0; i < OPS; i++) {
            h += run.get() == null ? 1 : 0;
        }
        sink += h;
        return (THREADS.getCurrentThreadCpuTime() - cpu0) / (double) OPS;
    }

    private static double median(double[] xs) {
        return quantile(xs, 0.5);
    }

    private static double quantile(double[] xs, double q) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
