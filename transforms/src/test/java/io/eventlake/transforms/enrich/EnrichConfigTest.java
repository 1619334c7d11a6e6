package io.eventlake.transforms.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnrichConfigTest {

    private static Map<String, String> topicProps() {
        Map<String, String> p = new HashMap<>();
        p.put("lookup.source", "topic");
        p.put("lookup.topic", "users");
        p.put("lookup.topic.bootstrap.servers", "127.0.0.1:9");
        p.put("lookup.key.field", "user_id");
        p.put("lookup.fields", "tier,limit");
        return p;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "lookup.source; database;                      String must be one of",
        "lookup.key.field; user..id;                   is not a field path",
        "lookup.fields; '';                            give at least one field",
        "lookup.fields; tier,tier;                     'tier' is listed twice",
        "lookup.field.types; tier:text;                unknown type 'text'",
        "lookup.field.types; tier;                     expected <field>:<value>",
        "lookup.defaults; tier;                        expected <field>:<value>",
        "lookup.max.entries; 0;                        Value must be at least 1",
        "lookup.file.format; xml;                      String must be one of",
        "lookup.file.reload.interval.ms; -1;           Value must be at least 0",
        "lookup.topic.value.converter; not a class;    not a class name",
        "lookup.topic.initial.load.on.timeout; wait;   String must be one of",
    })
    void aMalformedValueIsRefusedAtValidationNamingTheKey(String key, String value, String why) {
        Map<String, String> p = topicProps();
        p.put(key, value);
        List<String> errors = Enrich.CONFIG_DEF.validate(p).stream().filter(c -> c.name().equals(key)).findFirst()
            .map(ConfigValue::errorMessages).orElseThrow();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(key) && errors.get(0).contains(why), errors.get(0));
        ConfigException e = assertThrows(ConfigException.class, () -> new EnrichConfig(p));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "lookup.field.types; vip:boolean;              'vip' is not one of lookup.fields [tier, limit]",
        "lookup.defaults; vip:true;                    'vip' is not one of lookup.fields [tier, limit]",
        "lookup.status.field; tier;                    clashes with an added field",
        "lookup.topic; '';                             required with lookup.source=topic",
        "lookup.topic.bootstrap.servers; '';           required with lookup.source=topic",
    })
    void crossKeyMistakesAreRefusedAtConfigureNamingTheKey(String key, String value, String why) {
        Map<String, String> p = topicProps();
        p.put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> new EnrichConfig(p));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void aFileSourceNeedsAPath() {
        Map<String, String> p = topicProps();
        p.put("lookup.source", "file");
        ConfigException e = assertThrows(ConfigException.class, () -> new EnrichConfig(p));
        assertTrue(e.getMessage().contains("lookup.file.path") && e.getMessage().contains("required with "
            + "lookup.source=file"), e.getMessage());
    }

    @Test
    void aDefaultThatDoesNotFitItsDeclaredTypeIsRefused() {
        Map<String, String> p = topicProps();
        p.put("lookup.field.types", "limit:int64");
        p.put("lookup.defaults", "limit:unlimited");
        ConfigException e = assertThrows(ConfigException.class, () -> new EnrichConfig(p));
        assertTrue(e.getMessage().contains("lookup.defaults") && e.getMessage().contains("'unlimited' is not int64"),
            e.getMessage());
    }

    @Test
    void anUnknownConverterClassIsRefusedNamingTheKey() {
        Map<String, String> p = topicProps();
        p.put("lookup.topic.value.converter", "com.example.NoSuchConverter");
        ConfigException e = assertThrows(ConfigException.class, () -> new Enrich.Value<>().configure(p));
        assertTrue(e.getMessage().contains("lookup.topic.value.converter") && e.getMessage().contains(
            "class not found"), e.getMessage());
    }

    @Test
    void theConsumerGetsThePassThroughSettingsAndThoseItMustHave() {
        Map<String, String> p = topicProps();
        p.put("lookup.topic.consumer.security.protocol", "SSL");
        p.put("lookup.topic.consumer.enable.auto.commit", "true");
        Map<String, Object> c = new EnrichConfig(p).consumerConfig();
        assertEquals("SSL", c.get("security.protocol"));
        assertEquals("false", c.get("enable.auto.commit"), "offsets are never committed: it always reads it all");
        assertEquals("127.0.0.1:9", c.get("bootstrap.servers"));
        assertEquals("earliest", c.get("auto.offset.reset"));
    }

    @Test
    void theValidatorsDescribeThemselvesForTheReference() {
        Enrich.CONFIG_DEF.configKeys().values().forEach(k -> {
            if (k.validator != null) {
                assertTrue(!k.validator.toString().contains("$$Lambda"), k.name + ": " + k.validator);
            }
        });
    }
}
