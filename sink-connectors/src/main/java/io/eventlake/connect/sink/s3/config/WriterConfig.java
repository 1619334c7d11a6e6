package io.eventlake.connect.sink.s3.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import io.eventlake.connect.sink.s3.schema.Compatibility;
import io.eventlake.connect.sink.s3.writer.TaskWriter;

/** The config fragment of record handling: schemas, null values, memory, commit retries. */
public final class WriterConfig {

    public static final String GROUP = "Records";

    public static final String SCHEMA_COMPATIBILITY = "schema.compatibility";
    public static final String NULL_VALUES = "behavior.on.null.values";
    public static final String MEMORY_BUDGET = "memory.budget.bytes";
    public static final String MEMORY_BUDGET_WAIT = "memory.budget.wait.ms";
    public static final String SPILL_DIR = "spill.dir";
    public static final String SPILL_MAX_BYTES = "spill.max.bytes";
    public static final String COMMIT_BACKOFF = "commit.retry.backoff.ms";
    public static final String COMMIT_BACKOFF_MAX = "commit.retry.backoff.max.ms";
    public static final String CLOSE_WAIT = "close.wait.ms";
    public static final String VALUE_FORMAT = "value.format";
    public static final String DECODE_THREADS = "value.decode.threads";

    private WriterConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(SCHEMA_COMPATIBILITY, Type.STRING, "backward", new EnumValidator(Compatibility.class),
                Importance.MEDIUM, "Which record schemas may land in a topic's folder beside the schema already "
                + "there, compared as Parquet (not by doc or identity). In every mode a column of the same name "
                + "with another type, or another record name, is refused (the record goes to the dead letter "
                + "queue): it would break readers of the folder; with table.format=iceberg a number widened (int to "
                + "long, float to double) is a promotion, and the column takes the wider type. backward: new fields must be optional; forward: "
                + "dropped fields must be optional; full: both; none: only the type check. Except with none, "
                + "records are projected onto the folder's schema (the union of accepted schemas; missing fields "
                + "are null), so interleaved schema versions share files.", GROUP, ++order, Width.SHORT,
                "Schema compatibility")
            .define(NULL_VALUES, Type.STRING, "report", new EnumValidator(TaskWriter.NullValues.class),
                Importance.MEDIUM, "Records with a null value (tombstones): report (to the dead letter queue, "
                + "within errors.tolerance), ignore (skip; the offset still counts as done) or fail (the task "
                + "stops).", GROUP, ++order, Width.SHORT, "Null values")
            .define(MEMORY_BUDGET, Type.LONG, 128L * 1024 * 1024, Range.atLeast(4L * 1024 * 1024), Importance.MEDIUM,
                "Memory of one task for data not yet in S3: open files and bytes being uploaded. When it is "
                + "reached, the open files of the Kafka partition with the most buffered data are spilled to "
                + "spill.dir (or, with spilling off or its disk full and the open files alone over it, committed "
                + "early, which makes small files); when the open files fit and bytes being uploaded fill the rest, "
                + "the task waits for the uploads (memory.budget.wait.ms), then pauses consumption until they catch "
                + "up. Leave room in the worker heap for every task.", GROUP, ++order, Width.SHORT, "Memory budget")
            .define(MEMORY_BUDGET_WAIT, Type.LONG, 10_000L, Range.between(0, 600_000), Importance.LOW, "When the "
                + "memory budget is full and bytes being uploaded would free enough of it, how long the task waits "
                + "for those uploads before it pauses consumption until they catch up (committing more files "
                + "early would only queue more bytes for S3, in smaller files).", GROUP, ++order, Width.SHORT,
                "Memory budget wait (ms)")
            .define(SPILL_DIR, Type.STRING, "", Importance.LOW, "Local folder where open files go when the memory "
                + "budget is reached, as segments (small complete Parquet files) that become one file again, row "
                + "groups copied as they are, when the file is finished and uploaded: many open folders then still "
                + "make large files in a small heap. Each task takes a folder of its own below <spill.dir>/<connector "
                + "name>/ and empties it when it starts or stops; a segment is only a buffer (after a crash the data is "
                + "read again from Kafka). Empty: <java.io.tmpdir>/eventlake-spill.", GROUP, ++order, Width.LONG,
                "Spill folder")
            .define(SPILL_MAX_BYTES, Type.LONG, 1024L * 1024 * 1024, Range.atLeast(0), Importance.LOW, "Most disk "
                + "one task's spilled segments may take; past it the budget commits files early again. 0 turns "
                + "spilling off.", GROUP, ++order, Width.SHORT, "Spill max bytes")
            .define(COMMIT_BACKOFF, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW, "First wait after a failed "
                + "commit before the partition is read again from its last committed offset; doubles (with "
                + "jitter) on each failure in a row.", GROUP, ++order, Width.SHORT, "Commit retry backoff (ms)")
            .define(COMMIT_BACKOFF_MAX, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW, "Longest wait between "
                + "commit attempts of a partition.", GROUP, ++order, Width.SHORT, "Commit retry backoff max (ms)")
            .define(CLOSE_WAIT, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW, "How long a revoked partition "
                + "may finish a commit already under way before its data is dropped (its next owner reads it "
                + "again).", GROUP, ++order, Width.SHORT, "Close wait (ms)")
            .define(VALUE_FORMAT, Type.STRING, "connect", new EnumValidator(TaskWriter.ValueFormat.class),
                Importance.MEDIUM, "connect: record values arrive as Connect data from the connector's converter. "
                + "json: values arrive as bytes (set value.converter=org.apache.kafka.connect.converters."
                + "ByteArrayConverter) holding JsonConverter's envelopes ({\"schema\": ..., \"payload\": ...}), and "
                + "the sink decodes them itself, on value.decode.threads threads beside the task thread, with a "
                + "streaming decoder that parses a repeated schema once: the same values as JsonConverter, at a "
                + "fraction of its cost. Only when no transform of this connector needs Connect data (transforms "
                + "run before the sink sees the values). A value that does not decode goes to the dead letter "
                + "queue like any bad record.", GROUP, ++order, Width.SHORT, "Value format")
            .define(DECODE_THREADS, Type.INT, 2, Range.between(1, 64), Importance.LOW, "With value.format=json: "
                + "threads that decode each batch of values in parallel.", GROUP, ++order, Width.SHORT,
                "Decode threads");
    }
}
