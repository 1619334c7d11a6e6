package io.eventlake.transforms.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {

    @ParameterizedTest
    @CsvSource({
        "email, ada@example.com, true",
        "email, a.b+tag@mail.example.co.uk, true",
        "email, ada@example, false",
        "email, ada@@example.com, false",
        "email, ada example@example.com, false",
        "email, .ada@example.com, false",
        "email, ada@-example.com, false",
        "email, ada@example.c, false",
        "email, @example.com, false",
        "url, https://example.com/a?b=c, true",
        "url, http://127.0.0.1:8080, true",
        "url, example.com, false",
        "url, https://exa mple.com, false",
        "uuid, 6f1c2a34-1b2c-4d5e-8f90-123456789ABC, true",
        "uuid, 6f1c2a34-1b2c-4d5e-8f90-123456789ab, false",
        "uuid, 6f1c2a34x1b2c-4d5e-8f90-123456789abc, false",
        "uuid, 6f1c2a34-1b2c-4d5e-8f90-123456789abg, false",
        "timestamp, 2026-01-01T10:00:00Z, true",
        "timestamp, 2026-01-01T10:00:00.123+01:00, true",
        "timestamp, 2026-01-01T10:00:00, false",
        "timestamp, 2026-13-01T10:00:00Z, false",
        "date, 2026-01-31, true",
        "date, 2026-02-30, false",
        "currency, USD, true",
        "currency, usd, false",
        "currency, XYZ, false",
    })
    void checks(String format, String text, boolean valid) {
        assertEquals(valid, Format.parse(format).test(text));
    }
}
