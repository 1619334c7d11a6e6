package io.eventlake.transforms.enrich;

import java.math.BigDecimal;

/** Keys are compared as text, so a key field of 42 (int) finds the reference row "42" (CSV text or JSON number). */
final class KeyText {

    private KeyText() {
    }

    static String of(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(key);
    }
}
