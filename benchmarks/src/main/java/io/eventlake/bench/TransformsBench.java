package io.eventlake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.InsertField;
import org.apache.kafka.connect.transforms.Transformation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.eventlake.connect.source.generator.EventStream;
import io.eventlake.connect.source.generator.scenario.CartScenario;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;
import io.eventlake.transforms.enrich.DeriveFields;
import io.eventlake.transforms.enrich.Enrich;
import io.eventlake.transforms.validate.Validate;

/**
 * The per-record cost of eventlake's transforms on generated cart events (Struct values, 1,024 different records
 * per invocation), in ns per record; run with {@code -prof gc} for bytes allocated per record
 * ({@code gc.alloc.rate.norm}). {@code insertFieldBaseline} is Kafka's own InsertField adding one static field to
 * the same records: the least a transform that adds a field costs. Validate runs nine rules of five kinds
 * (valid records pass untouched; invalid ones break two and are tagged with headers); Enrich looks each user up
 * in a 10,000-row CSV table; DeriveFields adds date, hour, day of week and processing time, or a salted SHA-256
 * and a masked copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransformsBench {

    static final int RECORDS = 1024;

    private SinkRecord[] valid;
    private SinkRecord[] invalid;
    private Path dir;
    private Transformation<SinkRecord> insertField;
    private Validate<SinkRecord> validate;
    private Enrich<SinkRecord> enrich;
    private DeriveFields<SinkRecord> deriveTime;
    private DeriveFields<SinkRecord> derivePii;

    @Setup
    public void setup() throws IOException {
        EventStream stream = new EventStream(Scenarios.create("cart", ScenarioSettings.defaults(42)), 42, 1);
        valid = new SinkRecord[RECORDS];
        invalid = new SinkRecord[RECORDS];
        long t = System.currentTimeMillis() - 3_600_000L;
        for (int i = 0; i < RECORDS; i++) {
            Struct event = stream.event(i, t + i * 1000L);
            valid[i] = new SinkRecord("cart", 0, null, event.get("user_id"), CartScenario.SCHEMA, event, i);
            Struct bad = copy(event).put("currency", "ZZZ").put("quantity", 9);
            invalid[i] = new SinkRecord("cart", 0, null, event.get("user_id"), CartScenario.SCHEMA, bad, i);
        }

        insertField = new InsertField.Value<>();
        insertField.configure(Map.of("static.field", "source", "static.value", "bench"));

        validate = new Validate.Value<>();
        validate.configure(Map.of(
            "required", "event_id,user_id,event_type",
            "formats", "event_id:uuid,currency:currency",
            "allowed", "event_type:login|view_item|add_to_cart|remove_from_cart|checkout|purchase",
            "ranges", "quantity:1:3,amount:0:100000",
            "max.lengths", "user_id:64",
            "on.invalid", "tag"));

        dir = Files.createTempDirectory("eventlake-bench");
        StringBuilder csv = new StringBuilder("user_id,tier,credit_limit,country\n");
        for (int u = 0; u < 10_000; u++) {
            csv.append("user-").append(u).append(',').append(u % 3 == 0 ? "gold" : "silver").append(',')
                .append(u * 10).append(".5,").append(u % 2 == 0 ? "FR" : "DE").append('\n');
        }
        Path file = dir.resolve("users.csv");
        Files.writeString(file, csv);
        enrich = new Enrich.Value<>();
        enrich.configure(Map.of("lookup.source", "file", "lookup.file.path", file.toString(),
            "lookup.key.field", "user_id", "lookup.fields", "tier,credit_limit,country",
            "lookup.file.reload.interval.ms", "0"));

        deriveTime = new DeriveFields.Value<>();
        deriveTime.configure(Map.of("zone", "Europe/Paris"));
        derivePii = new DeriveFields.Value<>();
        derivePii.configure(Map.of("date.field", "", "hour.field", "", "day.of.week.field", "",
            "processing.time.field", "", "hash.fields", "user_id:user_hash", "hash.salt", "bench-salt",
            "mask.fields", "session_id:session_masked"));

        if (validate.apply(invalid[0]).headers().isEmpty() || validate.apply(valid[0]) != valid[0]) {
            throw new IllegalStateException("the valid and invalid records are not what the bench says");
        }
    }

    private static Struct copy(Struct s) {
        Struct c = new Struct(s.schema());
        s.schema().fields().forEach(f -> c.put(f, s.get(f)));
        return c;
    }

    @TearDown
    public void tearDown() throws IOException {
        enrich.close();
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.delete(dir);
    }

    private static void run(Transformation<SinkRecord> t, SinkRecord[] records, Blackhole bh) {
        for (SinkRecord r : records) {
            bh.consume(t.apply(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void insertFieldBaseline(Blackhole bh) {
        run(insertField, valid, bh);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void validateValid(Blackhole bh) {
        run(validate, valid, bh);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void validateInvalidTagged(Blackhole bh) {
        run(validate, invalid, bh);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void enrichFileLookup(Blackhole bh) {
        run(enrich, valid, bh);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void deriveTimeFields(Blackhole bh) {
        run(deriveTime, valid, bh);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void deriveHashAndMask(Blackhole bh) {
        run(derivePii, valid, bh);
    }
}
