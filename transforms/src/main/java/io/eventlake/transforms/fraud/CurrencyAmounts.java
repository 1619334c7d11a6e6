package io.eventlake.transforms.fraud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A list of {@code CURRENCY:amount} entries ({@code USD:10000,EUR:10000}; {@code *} stands for any other
 * currency, and for streams without a currency field) and its validator.
 */
final class CurrencyAmounts implements ConfigDef.Validator {

    static final CurrencyAmounts VALIDATOR = new CurrencyAmounts();

    static Map<String, Double> parse(List<String> entries) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String entry : entries) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("'" + entry + "' is not CURRENCY:amount");
            }
            String currency = e.substring(0, colon).trim();
            if (!currency.equals("*") && !currency.matches("[A-Za-z]{3}")) {
                throw new IllegalArgumentException("'" + currency + "' is not a 3-letter ISO 4217 code or *");
            }
            double amount;
            try {
                amount = Double.parseDouble(e.substring(colon + 1).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("'" + e.substring(colon + 1) + "' is not a number");
            }
            if (!(amount > 0) || Double.isInfinite(amount)) {
                throw new IllegalArgumentException("the amount of '" + entry + "' must be positive");
            }
            if (out.put(currency.equals("*") ? "*" : currency.toUpperCase(java.util.Locale.ROOT), amount) != null) {
                throw new IllegalArgumentException(currency + " is listed twice");
            }
        }
        return out;
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            parse(entries);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "CURRENCY:amount entries, e.g. USD:10000,EUR:10000 (* = any currency)";
    }
}
