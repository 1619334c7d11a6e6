package io.eventlake.transforms.validate;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The headers {@link Validate} puts on an invalid record it routes or tags, under a configurable prefix (default
 * {@value #DEFAULT_PREFIX}):
 * <ul>
 * <li>{@code violations}: readable, {@code range(amount): above 100000; required(user_id): missing}</li>
 * <li>{@code violation.count}: int32</li>
 * <li>{@code rules}: {@code range:amount,required:user_id}, one {@code <rule>:<field>} per violation</li>
 * <li>{@code original.topic} (routed records), and for sink records {@code original.partition} and
 * {@code original.offset}</li>
 * </ul>
 * A record that already carries them (two Validate transforms in a chain) gets them merged, not repeated.
 */
public final class ViolationHeaders {

    public static final String DEFAULT_PREFIX = "eventlake.validation.";
    public static final String VIOLATIONS = "violations";
    public static final String COUNT = "violation.count";
    public static final String RULES = "rules";
    public static final String ORIGINAL_TOPIC = "original.topic";
    public static final String ORIGINAL_PARTITION = "original.partition";
    public static final String ORIGINAL_OFFSET = "original.offset";

    private final String violations;
    private final String count;
    private final String rules;
    private final String originalTopic;
    private final String originalPartition;
    private final String originalOffset;

    public ViolationHeaders(String prefix) {
        this.violations = prefix + VIOLATIONS;
        this.count = prefix + COUNT;
        this.rules = prefix + RULES;
        this.originalTopic = prefix + ORIGINAL_TOPIC;
        this.originalPartition = prefix + ORIGINAL_PARTITION;
        this.originalOffset = prefix + ORIGINAL_OFFSET;
    }

    /** The full name of the {@code violations} header. */
    public String violationsHeader() {
        return violations;
    }

    /** A copy of the record's headers with these violations added. */
    Headers with(ConnectRecord<?> record, Violations found, boolean routed) {
        Headers headers = record.headers().duplicate();
        String text = found.describe();
        String ruleList = found.rules();
        int total = found.size();
        Header earlier = headers.lastWithName(violations);
        if (earlier != null && earlier.value() != null) {
            text = earlier.value() + "; " + text;
            Header earlierRules = headers.lastWithName(rules);
            if (earlierRules != null && earlierRules.value() != null) {
                ruleList = earlierRules.value() + "," + ruleList;
            }
            Header earlierCount = headers.lastWithName(count);
            if (earlierCount != null && earlierCount.value() instanceof Number n) {
                total += n.intValue();
            }
            headers.remove(violations).remove(rules).remove(count);
        }
        headers.addString(violations, text);
        headers.addInt(count, total);
        headers.addString(rules, ruleList);
        if (routed && headers.lastWithName(originalTopic) == null) {
            headers.addString(originalTopic, record.topic());
            if (record instanceof SinkRecord sink) {
                headers.addInt(originalPartition, sink.kafkaPartition());
                headers.addLong(originalOffset, sink.kafkaOffset());
            }
        }
        return headers;
    }
}
