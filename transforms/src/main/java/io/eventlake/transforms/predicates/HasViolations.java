package io.eventlake.transforms.predicates;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.common.Version;
import io.eventlake.transforms.validate.ViolationHeaders;

/** True for a record the Validate transform tagged or routed: it carries the violations header. */
public class HasViolations<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    static final String HEADER_PREFIX = "header.prefix";

    public static final String OVERVIEW_DOC = "True when the record carries the violations header that "
        + "io.eventlake.transforms.validate.Validate adds with on.invalid=tag or route (<prefix>violations). "
        + "With negate=true it selects the valid records, e.g. to enrich only those.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(HEADER_PREFIX, ConfigDef.Type.STRING, ViolationHeaders.DEFAULT_PREFIX, new ConfigDef.NonEmptyString(),
            ConfigDef.Importance.MEDIUM, "The header.prefix of the Validate transform whose headers to look for.");

    private String header;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> props) {
        header = new ViolationHeaders(new SimpleConfig(CONFIG_DEF, props).getString(HEADER_PREFIX))
            .violationsHeader();
    }

    @Override
    public boolean test(R record) {
        return record.headers().lastWithName(header) != null;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "HasViolations{header=" + header + "}";
    }
}
