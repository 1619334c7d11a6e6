package io.eventlake.connect.sink.s3.config;

import java.util.Arrays;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import io.eventlake.common.config.Validators;
import io.eventlake.connect.sink.s3.parquet.MetadataColumn;
import io.eventlake.connect.sink.s3.parquet.PlainCodecFactory;

/** The config fragment of the Parquet files: codec, row groups, pages, Kafka metadata columns. */
public final class ParquetConfig {

    public static final String GROUP = "Parquet";

    public static final String CODEC = "parquet.codec";
    public static final String ROW_GROUP_BYTES = "parquet.row.group.bytes";
    public static final String PAGE_BYTES = "parquet.page.bytes";
    public static final String METADATA_COLUMNS = "parquet.metadata.columns";
    public static final String METADATA_PREFIX = "parquet.metadata.column.prefix";

    private ParquetConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        String[] columns = Arrays.stream(MetadataColumn.values()).map(c -> c.name().toLowerCase(Locale.ROOT))
            .toArray(String[]::new);
        return def
            .define(CODEC, Type.STRING, "zstd", new EnumValidator(PlainCodecFactory.SUPPORTED.stream()
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()), Importance.LOW, "Compression codec of the "
                + "Parquet pages.", GROUP, ++order, Width.SHORT, "Codec")
            .define(ROW_GROUP_BYTES, Type.INT, 8 * 1024 * 1024, Range.atLeast(64 * 1024), Importance.LOW, "Target "
                + "size of a Parquet row group; each open file buffers up to this much before writing it out.",
                GROUP, ++order, Width.SHORT, "Row group bytes")
            .define(PAGE_BYTES, Type.INT, 1024 * 1024, Range.atLeast(4 * 1024), Importance.LOW, "Target size of a "
                + "Parquet page.", GROUP, ++order, Width.SHORT, "Page bytes")
            .define(METADATA_COLUMNS, Type.LIST, "", Validators.of("a list of " + String.join(", ", columns),
                v -> Arrays.stream(v.replace("[", "").replace("]", "").split(",")).map(String::trim)
                    .allMatch(s -> s.isEmpty() || Arrays.asList(columns).contains(s.toLowerCase(Locale.ROOT))),
                "must list only " + String.join(", ", columns)), Importance.LOW, "Kafka metadata written as "
                + "columns after the value's fields: topic, partition and offset (where the record was read, before "
                + "any transform renamed its topic), timestamp, key (as text) and headers (a map of text).", GROUP,
                ++order, Width.LONG, "Metadata columns")
            .define(METADATA_PREFIX, Type.STRING, "kafka_", Importance.LOW, "Prefix of the metadata column names, "
                + "e.g. kafka_offset.", GROUP, ++order, Width.SHORT, "Metadata column prefix");
    }
}
