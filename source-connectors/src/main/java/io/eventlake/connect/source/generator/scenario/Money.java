package io.eventlake.connect.source.generator.scenario;

import java.math.BigDecimal;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

/** Money as DECIMAL(12,2), as it lands in Parquet. */
public final class Money {

    public static final int SCALE = 2;
    public static final int PRECISION = 12;

    private Money() {
    }

    public static Schema schema(boolean optional, String doc) {
        var builder = Decimal.builder(SCALE).parameter("connect.decimal.precision", Integer.toString(PRECISION))
            .doc(doc);
        return optional ? builder.optional().build() : builder.build();
    }

    public static BigDecimal cents(long cents) {
        return BigDecimal.valueOf(cents, SCALE);
    }

    /** Rounds a currency amount to cents, at least {@code minCents}. */
    public static BigDecimal of(double amount, long minCents) {
        return cents(Math.max(minCents, Math.round(amount * 100)));
    }
}
