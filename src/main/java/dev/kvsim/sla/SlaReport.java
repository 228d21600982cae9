package dev.kvsim.sla;

import java.math.BigDecimal;
import java.util.List;

/** One instance's month against the agreement (admin-api.md "SLA"). */
public record SlaReport(String instanceId, String month, boolean covered, long minuteLengthSeconds,
                        long periodMinutes, long unavailableMinutes, long excludedMinutes,
                        BigDecimal availabilityPercent, int creditPercent, BigDecimal creditAmount,
                        List<Minute> minutes) {

    /** An unavailable minute: when it began, why, and whether it is excluded from the count. */
    public record Minute(String minute, String cause, String detail, boolean excluded) {
    }
}
