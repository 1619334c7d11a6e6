package io.eventlake.transforms.fraud;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The entities a rule can keep state for (its key) or count (distinct values). */
public enum Role {
    USER, CARD, MERCHANT, DEVICE;

    public static final List<String> NAMES = Arrays.stream(values()).map(Role::label).toList();

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
