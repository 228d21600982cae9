package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/** A class of the tier catalog ({@code GET /api/v1/classes}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceClass(String name, String description, String architecture, String nodeType, long memoryMb,
                            int maxConnections, int bandwidthMBps, int qps, int shards, int proxies,
                            BigDecimal monthlyFee) {
}
