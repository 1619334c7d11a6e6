package io.eventlake.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.parquet.ParquetSchemas;
import io.eventlake.connect.sink.s3.parquet.RowWriter;
import io.eventlake.connect.source.generator.EventStream;
import io.eventlake.connect.source.generator.scenario.CartScenario;
import io.eventlake.connect.source.generator.scenario.ScenarioSettings;
import io.eventlake.connect.source.generator.scenario.Scenarios;

/**
 * The sink's per-record encoding cost on generated events, in records/s: the whole Struct to Parquet file (check,
 * column-encode, compress, close) per codec. {@code readFields} is the baseline: touching every field of the
 * Struct, the least any sink must do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SinkEncodeBench {

    static final int BATCH = 10_000;

    @Param({"ZSTD", "SNAPPY", "UNCOMPRESSED"})
    public String codec;

    private List<Struct> events;
    private List<SinkRecord> records;
    private RowWriter plan;
    private MessageType schema;
    private ParquetFile.Options options;

    @Setup
    public void setup() {
        EventStream stream = new EventStream(Scenarios.create("cart", ScenarioSettings.defaults(42)), 42, 1);
        events = new ArrayList<>(BATCH);
        records = new ArrayList<>(BATCH);
        long t = 1_722_816_000_000L;
        for (int i = 0; i < BATCH; i++) {
            Struct e = stream.event(i, t + i * 7L);
            events.add(e);
            records.add(new SinkRecord("cart", 0, null, null, CartScenario.SCHEMA, e, i, t, TimestampType.CREATE_TIME));
        }
        schema = ParquetSchemas.of(CartScenario.SCHEMA, List.of());
        plan = RowWriter.of(CartScenario.SCHEMA, schema, java.util.Map.of());
        options = new ParquetFile.Options(CompressionCodecName.valueOf(codec), 8 << 20, 1 << 20, 8 << 20);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void readFields(Blackhole bh) {
        for (Struct s : events) {
            for (Field f : CartScenario.SCHEMA.fields()) {
                bh.consume(s.get(f));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long structToParquetFile() throws IOException {
        ParquetFile file = new ParquetFile("bench", schema, options, null);
        for (int i = 0; i < BATCH; i++) {
            Struct s = events.get(i);
            plan.check(s);
            file.write(plan, records.get(i), s);
        }
        file.close();
        return file.bytes().length();
    }
}
