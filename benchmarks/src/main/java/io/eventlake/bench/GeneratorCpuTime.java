package io.eventlake.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * What {@link GeneratorBench} measures, in CPU time instead of wall-clock time: the CPU nanoseconds one generator
 * task's {@code poll()} spends per record, and the records per second one core gives at that cost. On a shared
 * machine a thread waits for a core at random, which wall-clock throughput counts and this does not, so this is the
 * steadier figure; it misses what CPU time cannot see (cache misses caused by others count, waits do not).
 * <pre>java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.eventlake.bench.GeneratorCpuTime</pre>
 */
public final class GeneratorCpuTime {

    private static final int WARMUP_POLLS = 3_000;
    private static final int POLLS = 1_000;
    private static final int ROUNDS = 5;

    private GeneratorCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> scenarios = args.length > 0 ? List.of(args)
            : List.of("clickstream", "cart", "transactions", "sensors");
        System.out.printf("%-13s %12s %22s%n", "scenario", "CPU ns/record", "records/s per core");
        long checksum = 0;
        for (String scenario : scenarios) {
            GeneratorBench bench = new GeneratorBench();
            bench.scenario = scenario;
            bench.setup();
            for (int i = 0; i < WARMUP_POLLS; i++) {
                checksum += count(bench.poll());
            }
            double best = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long records = 0;
                long cpu0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < POLLS; i++) {
                    records += count(bench.poll());
                }
                best = Math.min(best, (threads.getCurrentThreadCpuTime() - cpu0) / (double) records);
            }
            System.out.printf("%-13s %12.0f %,22.0f%n", scenario, best, 1e9 / best);
        }
        System.out.println("(best of " + ROUNDS + " rounds of " + POLLS + " polls of " + GeneratorBench.BATCH
            + " events; checksum " + (checksum & 0xff) + ")");
    }

    private static long count(List<SourceRecord> records) {
        return records == null ? 0 : records.size();
    }
}
