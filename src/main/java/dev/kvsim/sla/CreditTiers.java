package dev.kvsim.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The agreement's arithmetic (service-facts.md §6): availability from period and unavailable
 * minutes, and the credit tier it falls in. Exact fractions, so that 99.95 % is a boundary and not
 * a rounding accident.
 */
public final class CreditTiers {

    private CreditTiers() {
    }

    /** (period − unavailable) / period × 100, to 4 decimals; 100 for an empty period. */
    public static BigDecimal availabilityPercent(long periodMinutes, long unavailableMinutes) {
        if (periodMinutes <= 0) {
            return BigDecimal.valueOf(100).setScale(4, RoundingMode.UNNECESSARY);
        }
        return BigDecimal.valueOf(periodMinutes - unavailableMinutes).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(periodMinutes), 4, RoundingMode.DOWN);
    }

    /** 0, 15, 30 or 100: ≥ 99.95 % none; ≥ 99.00 % 15; ≥ 95.00 % 30; below, 100. */
    public static int creditPercent(long periodMinutes, long unavailableMinutes) {
        if (periodMinutes <= 0) {
            return 0;
        }
        long available = periodMinutes - unavailableMinutes;
        // available / period ≥ p / 10000  ⇔  available × 10000 ≥ p × period
        if (available * 10_000 >= 9_995 * periodMinutes) {
            return 0;
        }
        if (available * 10_000 >= 9_900 * periodMinutes) {
            return 15;
        }
        if (available * 10_000 >= 9_500 * periodMinutes) {
            return 30;
        }
        return 100;
    }
}
