package io.eventlake.transforms.validate;

import static io.eventlake.transforms.validate.Events.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed rule is refused twice the same way: by the {@code ConfigDef} validation the worker's REST
 * validation runs (the error is listed under the key), and by {@code configure} (a ConfigException naming the key).
 */
class ValidateConfigTest {

    /** The errors {@code PUT /connector-plugins/.../config/validate} would list for the key. */
    private static List<String> restErrors(String key, String value) {
        Map<String, String> p = Map.of(key, value);
        return Validate.CONFIG_DEF.validate(p).stream().filter(c -> c.name().equals(key)).findFirst()
            .map(ConfigValue::errorMessages).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "required;   user_id,a..b;                'a..b' is not a field path",
        "types;      amount:money;                unknown type 'money'",
        "types;      amount;                      expected <field>:<type>",
        "formats;    email:mail;                  unknown format 'mail'",
        "formats;    :email;                      expected <field>:<format>",
        "ranges;     amount:100:0;                minimum 100 is above maximum 0",
        "ranges;     amount:0;                    expected <field>:<min>:<max>",
        "ranges;     amount::;                    give a minimum, a maximum or both",
        "ranges;     amount:zero:1;               minimum 'zero' is not a number",
        "allowed;    currency:USD||EUR;           empty value in 'USD||EUR'",
        "patterns;   sku:[A-Z;                    not a regular expression",
        "max.lengths; user_id:-1;                 length -1 is negative",
        "max.lengths; user_id:long;               length 'long' is not a whole number",
        "event.time.field; a.;                    'a.' is not a field path",
        "event.time.max.age.ms; -2;               Value must be at least -1",
        "on.invalid; quarantine;                  String must be one of",
        "quarantine.topic; bad topic;             not a topic name",
        "header.prefix; '';                       String must be non-empty",
    })
    void aMalformedValueIsRefusedAtValidationNamingTheKey(String key, String value, String why) {
        List<String> errors = restErrors(key, value);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(key) && errors.get(0).contains(why), errors.get(0));

        Map<String, Object> p = props("required", "x", key, value);
        if (!key.equals("required")) {
            p.put("required", "x");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> new Validate.Value<>().configure(p));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void theEntryIsNamedInTheMessage() {
        assertEquals("Invalid value [amount:0:1, quantity:5:1] for configuration ranges: entry 'quantity:5:1': "
            + "minimum 5 is above maximum 1", restErrors("ranges", "amount:0:1,quantity:5:1").get(0));
    }

    @Test
    void aValidConfigHasNoError() {
        Map<String, String> p = Map.of("required", "user_id,device.id", "types", "amount:number",
            "formats", "email:email", "ranges", "amount:0:100000,quantity:1:", "allowed", "currency:USD|EUR",
            "patterns", "sku:[A-Z]{3}-\\d{2\\,4}", "max.lengths", "user_id:64", "event.time.field", "event_time",
            "on.invalid", "ROUTE", "quarantine.topic", "${topic}.bad");
        Validate.CONFIG_DEF.validate(p).forEach(c -> assertEquals(List.of(), c.errorMessages(), c.name()));
        new Validate.Value<>().configure(p);
    }

    @Test
    void noRuleAtAllIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> new Validate.Value<>().configure(Map.of()));
        assertTrue(e.getMessage().contains("no rule"), e.getMessage());
    }

    @Test
    void aPerFieldKeyIsRefusedWithTheListSyntax() {
        ConfigException e = assertThrows(ConfigException.class, () -> new Validate.Value<>().configure(
            Map.of("required", "a", "range.amount", "0:100")));
        assertEquals("Invalid value 0:100 for configuration range.amount: unknown key: rules are lists under fixed "
            + "keys, e.g. ranges=amount:...", e.getMessage());
    }

    @Test
    void theValidatorsDescribeTheirSyntaxForTheReference() {
        assertTrue(Validate.CONFIG_DEF.configKeys().get("ranges").validator.toString()
            .startsWith("<field>:<min>:<max>"));
        Validate.CONFIG_DEF.configKeys().values().forEach(k -> {
            if (k.validator != null) {
                assertTrue(!k.validator.toString().contains("$$Lambda"), k.name);
            }
        });
    }
}
