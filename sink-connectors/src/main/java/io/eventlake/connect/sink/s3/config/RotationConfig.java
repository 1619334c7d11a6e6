package io.eventlake.connect.sink.s3.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The config fragment that decides when files are committed and closed. The keys say which clock they use, so
 * nobody mistakes one for the other: Confluent's S3 sink calls the event-time interval {@code rotate.interval.ms}
 * and the wall-clock one {@code rotate.schedule.interval.ms}, and eventlake 0.1 used {@code rotate.interval.ms} for
 * the wall clock. That key is refused, with a message naming both replacements.
 */
public final class RotationConfig {

    public static final String GROUP = "Rotation";

    public static final String FLUSH_SIZE = "flush.size";
    public static final String WALLCLOCK_INTERVAL = "rotate.wallclock.interval.ms";
    public static final String EVENT_TIME_INTERVAL = "rotate.eventtime.interval.ms";
    public static final String FILE_BYTES = "rotate.file.bytes";
    public static final String AMBIGUOUS_INTERVAL = "rotate.interval.ms";

    private RotationConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(FLUSH_SIZE, Type.INT, 10_000, Range.atLeast(1), Importance.HIGH, "Records of one Kafka partition "
                + "after which its batch is committed (files closed, uploaded and the offset made durable). A file "
                + "never holds more records than this.", GROUP, ++order, Width.SHORT, "Flush size")
            .define(WALLCLOCK_INTERVAL, Type.LONG, 60_000L, Range.atLeast(0), Importance.MEDIUM, "Wall-clock time "
                + "after the first buffered record of a Kafka partition at which its batch is committed even if "
                + FLUSH_SIZE + " is not reached; checked by a timer, so it holds on a quiet topic too. Bounds how "
                + "stale the lake can be. 0 disables it. In table mode the interval is aligned to the clock (its multiples "
                + "since the epoch), so every partition's batch is due at the same moment and they commit in one "
                + "snapshot. (Confluent's S3 sink calls this rotate.schedule.interval.ms.)",
                GROUP, ++order, Width.SHORT, "Wall-clock interval (ms)")
            .define(EVENT_TIME_INTERVAL, Type.LONG, 0L, Range.atLeast(0), Importance.LOW, "Event-time span at which a "
                + "batch is committed: a record whose time is this far from the batch's earliest or latest commits the "
                + "batch first, so files hold bounded windows of event time, also when replaying a backlog. 0 "
                + "disables it. (Confluent's S3 sink calls this rotate.interval.ms.)", GROUP, ++order, Width.SHORT,
                "Event-time interval (ms)")
            .define(FILE_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(0), Importance.LOW, "Size at which a "
                + "file is closed and its batch goes on in a new file (estimated before compression of the last "
                + "pages). 0 disables it.", GROUP, ++order, Width.SHORT, "File bytes")
            .define(AMBIGUOUS_INTERVAL, Type.STRING, null, new ConfigDef.Validator() {
                @Override
                public void ensureValid(String name, Object value) {
                    if (value != null) {
                        throw new ConfigException(name, value, "is ambiguous and not used: set " + WALLCLOCK_INTERVAL
                            + " for wall-clock time (what eventlake 0.1 meant by it) or " + EVENT_TIME_INTERVAL
                            + " for event time (what Confluent's S3 sink means by it)");
                    }
                }

                @Override
                public String toString() {
                    return "not set";
                }
            }, Importance.LOW, "Refused: use " + WALLCLOCK_INTERVAL + " or " + EVENT_TIME_INTERVAL + ".", GROUP,
                ++order, Width.SHORT, "(refused)");
    }
}
