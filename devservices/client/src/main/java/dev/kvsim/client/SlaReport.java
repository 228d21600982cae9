package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.util.List;

/** An instance's SLA month: unavailable minutes, availability and the credit they earn. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlaReport(String instanceId, String month, boolean covered, long minuteLengthSeconds, long periodMinutes,
                        long unavailableMinutes, long excludedMinutes, BigDecimal availabilityPercent,
                        int creditPercent, BigDecimal creditAmount, List<Minute> minutes) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Minute(String minute, String cause, String detail, boolean excluded) {
    }
}
