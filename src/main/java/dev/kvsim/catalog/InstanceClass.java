package dev.kvsim.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One instance class (tier) of the managed service, as the catalog API shows it. {@code monthlyFee}
 * is optional (the catalog gives none by default); with it, SLA reports give the credit's amount.
 */
public record InstanceClass(String name, String description, String architecture, String nodeType,
                           long memoryMb, int maxConnections, int bandwidthMBps, int qps,
                           int shards, int proxies,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           java.math.BigDecimal monthlyFee) {

    public static final String STANDARD = "standard";
    public static final String CLUSTER = "cluster";
    public static final String SINGLE = "single";
    public static final String DOUBLE = "double";

    @JsonIgnore
    public boolean isCluster() {
        return CLUSTER.equals(architecture);
    }

    @JsonIgnore
    public boolean isDualReplica() {
        return DOUBLE.equals(nodeType);
    }
}
