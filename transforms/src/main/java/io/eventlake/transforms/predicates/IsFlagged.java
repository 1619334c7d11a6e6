package io.eventlake.transforms.predicates;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.common.Version;
import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.FieldPathValidator;

/** True for a record flagged by a boolean field of its value or by a header. */
public class IsFlagged<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    static final String FIELD = "field";
    static final String HEADER = "header";

    public static final String OVERVIEW_DOC = "True when the record is flagged: a boolean field of its value "
        + "(default fraud_flagged, a dotted path for a nested one) is true, or a configured header is set (to "
        + "anything but false). Lets the built-in Filter, routers and sinks act on fraud flags.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(FIELD, ConfigDef.Type.STRING, "fraud_flagged", FieldPathValidator.optional(),
            ConfigDef.Importance.HIGH, "Boolean field of the record value that flags it (true, or the string "
                + "\"true\"); empty: no field is looked at.")
        .define(HEADER, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
            "Header that flags the record when present with a value other than null, false or \"false\"; empty: "
                + "no header is looked at.");

    private FieldPath field;
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
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        String f = config.getString(FIELD).trim();
        field = f.isEmpty() ? null : FieldPath.parse(f);
        header = config.getString(HEADER).trim();
        if (field == null && header.isEmpty()) {
            throw new ConfigException(FIELD, f, "set field or header (or both): with neither nothing is flagged");
        }
    }

    @Override
    public boolean test(R record) {
        if (field != null && record.value() != null && isTrue(field.get(record.value()))) {
            return true;
        }
        if (!header.isEmpty()) {
            Header h = record.headers().lastWithName(header);
            return h != null && h.value() != null && !Boolean.FALSE.equals(h.value())
                && !"false".equalsIgnoreCase(h.value().toString());
        }
        return false;
    }

    private static boolean isTrue(Object v) {
        return Boolean.TRUE.equals(v) || v instanceof String s && s.equalsIgnoreCase("true");
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "IsFlagged{field=" + field + ", header=" + header + "}";
    }
}
