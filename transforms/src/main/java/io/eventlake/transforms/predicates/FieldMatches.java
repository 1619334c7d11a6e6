package io.eventlake.transforms.predicates;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.common.Version;
import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.FieldPathValidator;
import io.eventlake.transforms.util.PatternValidator;

/** True for a record whose field matches a regular expression or is one of a set of values. */
public abstract class FieldMatches<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    static final String FIELD = "field";
    static final String PATTERN = "pattern";
    static final String VALUES = "values";

    public static final String OVERVIEW_DOC = "True when a field (a dotted path for a nested one) matches a "
        + "regular expression (the whole text) or is one of a list of values, compared as text: a string as it "
        + "is, a number in plain decimal form, a boolean as true or false. A missing or null field never matches. "
        + "With both pattern and values, either suffices. Use <code>" + Key.class.getName() + "</code> for the "
        + "record key, <code>" + Value.class.getName() + "</code> for the value.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(FIELD, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, FieldPathValidator.required(),
            ConfigDef.Importance.HIGH, "The field to look at, e.g. event_type or device.os.")
        .define(PATTERN, ConfigDef.Type.STRING, "", new PatternValidator(), ConfigDef.Importance.HIGH, "A regular expression the whole field must match, e.g. purchase|checkout.")
        .define(VALUES, ConfigDef.Type.LIST, "", ConfigDef.Importance.HIGH,
            "Values the field may be equal to, e.g. purchase,checkout.");

    private FieldPath field;
    private Pattern pattern;
    private Set<String> values;

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
        field = FieldPath.parse(config.getString(FIELD));
        String regex = config.getString(PATTERN);
        pattern = regex.isEmpty() ? null : Pattern.compile(regex);
        List<String> list = config.getList(VALUES);
        values = Set.copyOf(list);
        if (pattern == null && values.isEmpty()) {
            throw new ConfigException(PATTERN, regex, "set pattern or values (or both): with neither nothing matches");
        }
    }

    @Override
    public boolean test(R record) {
        Object v = field.get(operatingValue(record));
        if (v == null) {
            return false;
        }
        String text = v instanceof String s ? s : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        return values.contains(text) || pattern != null && pattern.matcher(text).matches();
    }

    protected abstract Object operatingValue(R record);

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{field=" + field + ", pattern=" + pattern + ", values=" + values + "}";
    }

    /** Looks at the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldMatches<R> {
        @Override
        protected Object operatingValue(R record) {
            return record.key();
        }
    }

    /** Looks at the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldMatches<R> {
        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }
    }
}
