package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;

import java.math.BigDecimal;

/** Reads a network fault's whole-number attributes, refusing bad ones with a message naming the attribute. */
final class FaultAttributes {

    private FaultAttributes() {
    }

    static long required(FaultSpec spec, String name, long min, long max) {
        Object value = spec.attributes() == null ? null : spec.attributes().get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    spec.type() + " needs attributes." + name + ", a number between " + min + " and " + max);
        }
        return check(name, value, min, max);
    }

    static long optional(FaultSpec spec, String name, long fallback, long min, long max) {
        Object value = spec.attributes() == null ? null : spec.attributes().get(name);
        return value == null ? fallback : check(name, value, min, max);
    }

    private static long check(String name, Object value, long min, long max) {
        BigDecimal number = value instanceof Number n ? decimal(n) : null;
        if (number == null || number.compareTo(BigDecimal.valueOf(min)) < 0
                || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new IllegalArgumentException("attributes." + name + " must be a number between " + min + " and "
                    + max + "; got " + (value instanceof String ? "\"" + value + "\"" : value));
        }
        if (number.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("attributes." + name + " must be a whole number; got " + value);
        }
        return number.longValueExact();
    }

    /** Any JSON number (Integer, Long, Double, BigDecimal...); null for NaN and infinities. */
    private static BigDecimal decimal(Number n) {
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
