package io.eventlake.transforms.enrich;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import io.eventlake.common.config.Validators;
import io.eventlake.transforms.util.FieldPath;
import io.eventlake.transforms.util.FieldPathValidator;

/** {@link DeriveFields}' keys, parsed once. An empty output name switches that field off. */
final class DeriveFieldsConfig {

    static final String EVENT_TIME_FIELD = "event.time.field";
    static final String ZONE = "zone";
    static final String DATE_FIELD = "date.field";
    static final String HOUR_FIELD = "hour.field";
    static final String DAY_OF_WEEK_FIELD = "day.of.week.field";
    static final String PROCESSING_TIME_FIELD = "processing.time.field";
    static final String HASH_FIELDS = "hash.fields";
    static final String HASH_SALT = "hash.salt";
    static final String MASK_FIELDS = "mask.fields";
    static final String MASK_KEEP_LAST = "mask.keep.last";
    static final String MASK_CHAR = "mask.char";

    private static final String TIME = "Time";
    private static final String PII = "Sensitive fields";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(EVENT_TIME_FIELD, ConfigDef.Type.STRING, "event_time", FieldPathValidator.optional(),
            ConfigDef.Importance.HIGH, "Field holding the event time (a Timestamp, epoch milliseconds or an "
                + "ISO-8601 string with an offset); empty: the Kafka record timestamp. A missing or unreadable "
                + "time leaves the date, hour and day of week null (counted in missing-time-total).",
            TIME, 1, ConfigDef.Width.MEDIUM, "Event time field")
        .define(ZONE, ConfigDef.Type.STRING, "UTC", Validators.timeZone(), ConfigDef.Importance.HIGH,
            "Time zone of the derived date, hour and day of week.",
            TIME, 2, ConfigDef.Width.SHORT, "Zone")
        .define(DATE_FIELD, ConfigDef.Type.STRING, "event_date", ConfigDef.Importance.MEDIUM,
            "Output field of the local date: Connect's Date logical type (an ISO string such as 2026-01-31 in "
                + "schemaless values); empty: off.",
            TIME, 3, ConfigDef.Width.MEDIUM, "Date field")
        .define(HOUR_FIELD, ConfigDef.Type.STRING, "event_hour", ConfigDef.Importance.MEDIUM,
            "Output field of the local hour, int32 0-23; empty: off.",
            TIME, 4, ConfigDef.Width.MEDIUM, "Hour field")
        .define(DAY_OF_WEEK_FIELD, ConfigDef.Type.STRING, "event_day_of_week", ConfigDef.Importance.MEDIUM,
            "Output field of the local day of week, MONDAY to SUNDAY; empty: off.",
            TIME, 5, ConfigDef.Width.MEDIUM, "Day of week field")
        .define(PROCESSING_TIME_FIELD, ConfigDef.Type.STRING, "processed_at", ConfigDef.Importance.MEDIUM,
            "Output field of the time the worker transformed the record: Connect's Timestamp logical type "
                + "(epoch milliseconds in schemaless values); empty: off.",
            TIME, 6, ConfigDef.Width.MEDIUM, "Processing time field")
        .define(HASH_FIELDS, ConfigDef.Type.LIST, "", EnrichValidators.pairs("<field>:<output field>",
                v -> v),
            ConfigDef.Importance.MEDIUM, "Fields to copy hashed, e.g. email:email_sha256,card_number:card_hash: "
                + "lowercase hex SHA-256 of hash.salt followed by the value (as UTF-8 text), so equal values "
                + "still join. The original stays; drop it with Kafka's ReplaceField.",
            PII, 1, ConfigDef.Width.LONG, "Hashed copies")
        .define(HASH_SALT, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
            "Secret prepended to each value before hashing; without one, hashes of guessable values (emails, "
                + "phone numbers) are easy to reverse.",
            PII, 2, ConfigDef.Width.MEDIUM, "Hash salt")
        .define(MASK_FIELDS, ConfigDef.Type.LIST, "", EnrichValidators.pairs("<field>:<output field>", v -> v),
            ConfigDef.Importance.MEDIUM, "Fields to copy masked, e.g. card_number:card_masked: all but the last "
                + "mask.keep.last characters replaced by mask.char (a value no longer than that is masked whole).",
            PII, 3, ConfigDef.Width.LONG, "Masked copies")
        .define(MASK_KEEP_LAST, ConfigDef.Type.INT, 4, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
            "Characters left visible at the end of a masked copy.",
            PII, 4, ConfigDef.Width.SHORT, "Keep last")
        .define(MASK_CHAR, ConfigDef.Type.STRING, "*", Validators.of("one character", v -> v.length() == 1,
                "must be exactly one character"), ConfigDef.Importance.LOW,
            "Character that replaces the masked ones.",
            PII, 5, ConfigDef.Width.SHORT, "Mask character");

    private final SimpleConfig config;
    private final List<PiiCopy> copies = new ArrayList<>();

    DeriveFieldsConfig(Map<String, ?> props) {
        config = new SimpleConfig(CONFIG_DEF, props);
        String salt = config.getPassword(HASH_SALT).value();
        for (Map.Entry<String, String> e : EnrichValidators.pairsOf(config.getList(HASH_FIELDS)).entrySet()) {
            copies.add(new PiiCopy.Hash(FieldPath.parse(e.getKey()), e.getValue(), salt));
        }
        int keepLast = config.getInt(MASK_KEEP_LAST);
        char mask = config.getString(MASK_CHAR).charAt(0);
        for (Map.Entry<String, String> e : EnrichValidators.pairsOf(config.getList(MASK_FIELDS)).entrySet()) {
            copies.add(new PiiCopy.Mask(FieldPath.parse(e.getKey()), e.getValue(), keepLast, mask));
        }
        Set<String> outputs = new HashSet<>();
        for (String[] keyAndName : outputNames()) {
            if (!outputs.add(keyAndName[1])) {
                throw new ConfigException(keyAndName[0], config.originals().get(keyAndName[0]), "the output field '"
                    + keyAndName[1] + "' is named twice");
            }
        }
        if (outputs.isEmpty()) {
            throw new ConfigException("DeriveFields adds nothing: every output field is switched off");
        }
    }

    /** The configured output names with the key that names each, in output order. */
    private List<String[]> outputNames() {
        List<String[]> names = new ArrayList<>();
        for (String key : List.of(DATE_FIELD, HOUR_FIELD, DAY_OF_WEEK_FIELD, PROCESSING_TIME_FIELD)) {
            String name = config.getString(key).trim();
            if (!name.isEmpty()) {
                names.add(new String[] {key, name});
            }
        }
        for (PiiCopy c : copies) {
            names.add(new String[] {c instanceof PiiCopy.Hash ? HASH_FIELDS : MASK_FIELDS, c.output()});
        }
        return names;
    }

    /** The event time field, or null for the record timestamp. */
    FieldPath eventTimeField() {
        String path = config.getString(EVENT_TIME_FIELD).trim();
        return path.isEmpty() ? null : FieldPath.parse(path);
    }

    ZoneId zone() {
        return ZoneId.of(config.getString(ZONE).trim());
    }

    String dateField() {
        return config.getString(DATE_FIELD).trim();
    }

    String hourField() {
        return config.getString(HOUR_FIELD).trim();
    }

    String dayOfWeekField() {
        return config.getString(DAY_OF_WEEK_FIELD).trim();
    }

    String processingTimeField() {
        return config.getString(PROCESSING_TIME_FIELD).trim();
    }

    boolean unsalted() {
        return config.getPassword(HASH_SALT).value().isEmpty()
            && copies.stream().anyMatch(c -> c instanceof PiiCopy.Hash);
    }

    List<PiiCopy> copies() {
        return copies;
    }
}
