package io.eventlake.transforms.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import io.eventlake.transforms.util.FieldPath;

/**
 * The field is a number within inclusive bounds (either may be open). Whole numbers compare as longs, floating
 * point as doubles and decimals exactly, so the common case costs a comparison and no allocation.
 */
final class RangeRule extends FieldRule {

    static final String KIND = "range";

    private final BigDecimal min;
    private final BigDecimal max;
    private final long minLong;
    private final long maxLong;
    private final double minDouble;
    private final double maxDouble;

    RangeRule(FieldPath path, BigDecimal min, BigDecimal max) {
        super(KIND, path);
        this.min = min;
        this.max = max;
        // Bounds rounded outward stay exact for long values: ceil(min) <= v <=> min <= v for whole v.
        this.minLong = min == null ? Long.MIN_VALUE : clamp(min.setScale(0, RoundingMode.CEILING));
        this.maxLong = max == null ? Long.MAX_VALUE : clamp(max.setScale(0, RoundingMode.FLOOR));
        this.minDouble = min == null ? Double.NEGATIVE_INFINITY : min.doubleValue();
        this.maxDouble = max == null ? Double.POSITIVE_INFINITY : max.doubleValue();
    }

    private static long clamp(BigDecimal whole) {
        BigInteger i = whole.toBigInteger();
        if (i.bitLength() >= 64) {
            return i.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return i.longValue();
    }

    @Override
    String problem(Object field) {
        if (field instanceof Long || field instanceof Integer || field instanceof Short || field instanceof Byte) {
            long v = ((Number) field).longValue();
            return v < minLong ? below() : v > maxLong ? above() : null;
        }
        if (field instanceof Double || field instanceof Float) {
            double v = ((Number) field).doubleValue();
            if (Double.isNaN(v)) {
                return "not a number (NaN)";
            }
            return v < minDouble ? below() : v > maxDouble ? above() : null;
        }
        if (field instanceof BigDecimal || field instanceof BigInteger) {
            BigDecimal v = field instanceof BigDecimal d ? d : new BigDecimal((BigInteger) field);
            return min != null && v.compareTo(min) < 0 ? below() : max != null && v.compareTo(max) > 0 ? above() : null;
        }
        return "expected a number, got " + ValueType.describe(field);
    }

    private String below() {
        return "below " + min.toPlainString();
    }

    private String above() {
        return "above " + max.toPlainString();
    }
}
