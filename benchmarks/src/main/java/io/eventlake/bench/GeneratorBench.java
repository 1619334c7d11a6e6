package io.eventlake.bench;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Struct;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.eventlake.connect.source.generator.EventFactory;

/** Events the generator makes per second on one thread, before any converter or Kafka cost. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GeneratorBench {

    private final EventFactory factory = new EventFactory(42);
    private long sequence;

    @Benchmark
    public Struct event() {
        return factory.event(sequence++, 1_722_816_000_000L);
    }
}
