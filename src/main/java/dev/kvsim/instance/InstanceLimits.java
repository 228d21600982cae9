package dev.kvsim.instance;

import dev.kvsim.catalog.InstanceClass;

/** The figures an instance runs with: its class's, or the overrides. */
public record InstanceLimits(long memoryMb, int maxConnections, int bandwidthMBps, int qps) {

    public static InstanceLimits of(InstanceClass c, Overrides o) {
        return new InstanceLimits(
                o.memoryMb() != null ? o.memoryMb() : c.memoryMb(),
                o.maxConnections() != null ? o.maxConnections() : c.maxConnections(),
                o.bandwidthMBps() != null ? o.bandwidthMBps() : c.bandwidthMBps(),
                o.qps() != null ? o.qps() : c.qps());
    }
}
