package io.eventlake.connect.sink.s3.config;

import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.eventlake.common.config.Validators;
import io.eventlake.connect.sink.s3.partition.Partitioner;
import io.eventlake.connect.sink.s3.writer.FileNames;
import io.eventlake.connect.sink.s3.writer.TaskWriter;

/** The config fragment that lays the lake out: folders, partitions by field and time, file names, late events. */
public final class LayoutConfig {

    public static final String GROUP = "Layout";

    public static final String TOPICS_DIR = "topics.dir";
    public static final String PARTITION_FIELDS = "partition.fields";
    public static final String TIME_SOURCE = "partition.time.source";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String GRANULARITY = "partition.time.granularity";
    public static final String PATH_FORMAT = "path.format";
    public static final String TIMEZONE = "timezone";
    public static final String FILE_NAME = "file.name.template";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String LATE_POLICY = "late.events.policy";
    public static final String LATE_THRESHOLD = "late.events.threshold.ms";

    private LayoutConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(TOPICS_DIR, Type.STRING, "topics", folder(), Importance.MEDIUM, "Top-level folder of the lake in "
                + "the bucket; each topic's files land under <topics.dir>/<topic>/.", GROUP, ++order, Width.MEDIUM,
                "Topics folder")
            .define(PARTITION_FIELDS, Type.LIST, "", Validators.of("a list of field paths, each optionally "
                + "'path:name'", LayoutConfig::validFields, "must be a list of field paths (a.b.c), each optionally "
                + "followed by ':' and its folder name"), Importance.MEDIUM, "Value fields that partition the lake, "
                + "in order, before the time partition: e.g. event_type gives event_type=purchase/. A path may reach "
                + "into nested Structs and Maps (device.type); the folder is named after the path with dots as '_' "
                + "unless 'path:name' says otherwise. Values are Hive-escaped; null is __HIVE_DEFAULT_PARTITION__.",
                GROUP, ++order, Width.LONG, "Partition fields")
            .define(TIME_SOURCE, Type.STRING, "field", new EnumValidator(Partitioner.TimeSource.class),
                Importance.MEDIUM, "Where the time that chooses the time partition comes from: field (the value "
                + "field " + TIMESTAMP_FIELD + "), record (the Kafka record timestamp) or wallclock (when the sink "
                + "writes the record).", GROUP, ++order, Width.SHORT, "Time source")
            .define(TIMESTAMP_FIELD, Type.STRING, "event_time", Importance.MEDIUM, "Value field of the event time "
                + "with " + TIME_SOURCE + "=field: a Connect Timestamp, an INT64 of epoch milliseconds or an ISO-8601 "
                + "string.", GROUP, ++order, Width.MEDIUM, "Event time field")
            .define(GRANULARITY, Type.STRING, "hour", new EnumValidator(Partitioner.Granularity.class),
                Importance.MEDIUM, "Unit of the time partition: hour (year=/month=/day=/hour=), day, month, year, or "
                + "none (no time folders).", GROUP, ++order, Width.SHORT, "Time granularity")
            .define(PATH_FORMAT, Type.STRING, "", Validators.of("empty, or a java.time DateTimeFormatter pattern",
                v -> {
                    if (!v.isBlank()) {
                        var unused = DateTimeFormatter.ofPattern(v);
                    }
                    return true;
                }, "is not a java.time DateTimeFormatter pattern (quote literals: 'year='yyyy/'month='MM)"),
                Importance.LOW, "Pattern of the time folders, replacing the granularity's default (e.g. "
                + "'dt='yyyy-MM-dd/'hour='HH). Must not cut finer than " + GRANULARITY + ".", GROUP, ++order,
                Width.LONG, "Path format")
            .define(TIMEZONE, Type.STRING, "UTC", Validators.timeZone(), Importance.LOW, "Time zone of the time "
                + "partition values, e.g. UTC or Europe/Paris.", GROUP, ++order, Width.SHORT, "Time zone")
            .define(FILE_NAME, Type.STRING, FileNames.DEFAULT_TEMPLATE, Validators.of("a template with "
                + String.join(", ", FileNames.REQUIRED) + " and no '/'", v -> {
                    new FileNames(v);
                    return true;
                }, "must contain " + String.join(", ", FileNames.REQUIRED) + " and no '/'"), Importance.LOW,
                "Data file names (.parquet is appended). {topic} is the topic read, {partition} its partition, "
                + "{start_offset} the file's first offset (20 digits), {epoch} the writing task's owner epoch; "
                + "together they make every name unique.", GROUP, ++order, Width.LONG, "File name")
            .define(CHECKPOINT_DIR, Type.STRING, "_eventlake/checkpoints", folder(), Importance.LOW, "Folder in the "
                + "bucket for the sink's per-partition checkpoints and lake schemas, which make delivery exactly "
                + "once. Starts with '_' so query engines skip it.", GROUP, ++order, Width.MEDIUM,
                "Checkpoint folder")
            .define(LATE_POLICY, Type.STRING, "event_time", new EnumValidator(TaskWriter.LatePolicy.class),
                Importance.LOW, "Where an event lands that is more than " + LATE_THRESHOLD + " older than the "
                + "newest event of its Kafka partition: event_time (its own time folder: exact partitions, but a "
                + "stream of scattered late events keeps many folders open and makes small files) or arrival (the "
                + "newest event's folder: few files, but the folder no longer bounds its event time; its event time "
                + "column stays exact).", GROUP, ++order, Width.SHORT, "Late events policy")
            .define(LATE_THRESHOLD, Type.LONG, 3_600_000L, Range.atLeast(0), Importance.LOW, "How far behind the "
                + "newest event of its partition an event must be to count as late.", GROUP, ++order, Width.SHORT,
                "Late threshold (ms)");
    }

    private static ConfigDef.Validator folder() {
        return Validators.of("a relative folder", v -> !v.replace("/", "").isBlank() && !v.contains("..")
            && !v.contains("//") && !v.contains("\\"), "must be a non-empty relative folder without '..', '//' or "
            + "'\\'");
    }

    private static boolean validFields(String v) {
        String list = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        for (String item : list.split(",")) {
            String f = item.trim();
            if (f.isEmpty()) {
                continue;
            }
            String path = f.contains(":") ? f.substring(0, f.indexOf(':')) : f;
            String name = f.contains(":") ? f.substring(f.indexOf(':') + 1) : "x";
            if (path.isBlank() || name.isBlank() || path.startsWith(".") || path.endsWith(".")
                || path.contains("..")) {
                return false;
            }
        }
        return true;
    }

    static List<Partitioner.FieldPartition> fieldPartitions(List<String> items) {
        return items.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            int colon = s.indexOf(':');
            String path = colon < 0 ? s : s.substring(0, colon).trim();
            String name = colon < 0 ? path.replace('.', '_') : s.substring(colon + 1).trim();
            if (path.isEmpty() || name.isEmpty()) {
                throw new ConfigException(PARTITION_FIELDS, s, "needs a field path (and a name after ':')");
            }
            return new Partitioner.FieldPartition(path, name);
        }).toList();
    }
}
