package io.eventlake.connect.sink.s3.writer;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Data file names from a template. The placeholders {@code {topic}} (the topic the record was read from, before
 * any transform renamed it), {@code {partition}}, {@code {start_offset}} (the file's first offset, 20 digits) and
 * {@code {epoch}} (the owner epoch of the task that wrote it) make every name unique: no two writers, and no two
 * owners of a partition, ever write the same key. {@code .parquet} is appended.
 */
public final class FileNames {

    public static final String DEFAULT_TEMPLATE = "{topic}+{partition}+{start_offset}+{epoch}";
    public static final List<String> REQUIRED = List.of("{topic}", "{partition}", "{start_offset}", "{epoch}");

    private final String template;

    public FileNames(String template) {
        for (String p : REQUIRED) {
            if (!template.contains(p)) {
                throw new IllegalArgumentException("the file name template must contain " + p);
            }
        }
        if (template.contains("/")) {
            throw new IllegalArgumentException("the file name template must not contain '/'");
        }
        this.template = template;
    }

    public String name(String topic, int partition, long startOffset, long epoch) {
        return template.replace("{topic}", topic).replace("{partition}", Integer.toString(partition))
            .replace("{start_offset}", String.format("%020d", startOffset)).replace("{epoch}", Long.toString(epoch))
            + ".parquet";
    }

    /** Matches the names of any file of one Kafka partition, whatever its offset and epoch. */
    public Pattern ofPartition(String topic, int partition) {
        String regex = Pattern.quote(template)
            .replace("{topic}", "\\E" + Pattern.quote(topic) + "\\Q")
            .replace("{partition}", "\\E" + partition + "\\Q")
            .replace("{start_offset}", "\\E\\d{20}\\Q")
            .replace("{epoch}", "\\E\\d+\\Q");
        return Pattern.compile(regex + "\\.parquet");
    }
}
