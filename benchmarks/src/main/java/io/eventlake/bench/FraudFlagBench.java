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
import io.eventlake.transforms.fraud.FraudFlag;

/**
 * Time and allocation per record of the fraud transform at its defaults (all rules on, feedback rules on with no
 * reports), against Kafka's InsertField (adds one static field: a copy of the Struct under a cached schema, which the
 * fraud transform also pays) on the same generator transactions in the same run. The records cycle through 64 Ki
 * transactions of 10,000 users with event times advancing, so the rules' state is warm and bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FraudFlagBench {

    private static final int RECORDS = 1 << 16;

    private SourceRecord[] records;
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
        fraud = new FraudFlag.Value<>();
        fraud.configure(Map.of("feedback.topic", "fraud-reports"));
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
    public SourceRecord fraudFlag() {
        return fraud.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord insertFieldBaseline() {
        return insert.apply(nextRecord());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fraud.close();
        insert.close();
    }

}
