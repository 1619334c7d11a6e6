package io.eventlake.bench;

import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.InsertField;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.eventlake.connect.source.generator.EventStream;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;
import io.eventlake.connect.source.generator.scenario.TransactionsScenario;
import io.eventlake.transforms.enrich.DeriveFields;
import io.eventlake.transforms.fraud.FraudFlag;
import io.eventlake.transforms.validate.Validate;

/**
 * The whole transform chain of {@code config/eventlake-transactions.json} per record: validate (required fields,
 * formats, ranges, allowed values, event-time window), derive (local date, hour, day of week, masked card) and flag
 * fraud (every rule, feedback on with no reports), against Kafka's InsertField on the same generator transactions in
 * the same run. Run with {@code -prof gc} for bytes per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransformChainBench {

    private static final int RECORDS = 1 << 16;

    private SourceRecord[] records;
    private Validate.Value<SourceRecord> validate;
    private DeriveFields.Value<SourceRecord> derive;
    private FraudFlag.Value<SourceRecord> fraud;
    private InsertField.Value<SourceRecord> insert;
    private int next;
    private long round;

    @Setup(Level.Trial)
    public void setUp() {
        EventStream stream = new EventStream(Scenarios.create(TransactionsScenario.NAME, ScenarioSettings.defaults(42)),
            42, 16);
        records = new SourceRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            Struct v = stream.event(i, 0);
            records[i] = new SourceRecord(null, null, "transactions", null, Schema.STRING_SCHEMA, v.getString("user_id"),
                v.schema(), v, 0L);
        }
        validate = new Validate.Value<>();
        validate.configure(Map.of(
            "required", "transaction_id,user_id,card_id,merchant_id,amount,currency,event_time",
            "formats", "transaction_id:uuid,currency:currency",
            "ranges", "amount:0:1000000,latitude:-90:90,longitude:-180:180",
            "allowed", "channel:online|pos",
            "event.time.field", "event_time",
            "event.time.max.age.ms", Long.toString(Long.MAX_VALUE / 4),
            "event.time.max.future.ms", Long.toString(Long.MAX_VALUE / 4),
            "on.invalid", "route"));
        derive = new DeriveFields.Value<>();
        derive.configure(Map.of("event.time.field", "event_time", "zone", "UTC", "mask.fields", "card_id:card_masked"));
        fraud = new FraudFlag.Value<>();
        fraud.configure(Map.of("feedback.topic", "fraud-reports", "feedback.learn.weights",
            System.getProperty("bench.learn", "true"), "feedback.learn.shares", System.getProperty("bench.shares", "true"),
            "feedback.amount.enabled", System.getProperty("bench.amount", "true")));
        insert = new InsertField.Value<>();
        insert.configure(Map.of("static.field", "source", "static.value", "eventlake"));
    }

    private SourceRecord nextRecord() {
        SourceRecord r = records[next];
        // Event time moves on (about 2 s per record) so windows slide and keys expire as in a stream.
        ((Struct) r.value()).put("event_time", new Date(1_767_225_600_000L + (round * RECORDS + next) * 2_000L));
        if (++next == RECORDS) {
            next = 0;
            round++;
        }
        return r;
    }

    @Benchmark
    public SourceRecord chain() {
        return fraud.apply(derive.apply(validate.apply(nextRecord())));
    }

    /** Validate alone (route mode; the records are valid, so it passes them on). */
    @Benchmark
    public SourceRecord validateOnly() {
        return validate.apply(nextRecord());
    }

    /** DeriveFields alone: local date, hour, day of week and the masked card, one Struct copy. */
    @Benchmark
    public SourceRecord deriveOnly() {
        return derive.apply(nextRecord());
    }

    /** FraudFlag alone: every rule, its state, and one Struct copy with the three fields. */
    @Benchmark
    public SourceRecord fraudOnly() {
        return fraud.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord insertFieldBaseline() {
        return insert.apply(nextRecord());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        validate.close();
        derive.close();
        fraud.close();
        insert.close();
    }
}
