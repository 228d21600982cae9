package dev.kvsim.instance;

import dev.kvsim.catalog.InstanceClass;

/**
 * The figures an instance runs with: its class's, or the overrides. {@code memoryMb} is the whole
 * instance's; a cluster splits it equally among its shards.
 */
public record InstanceLimits(long memoryMb, int maxConnections, int bandwidthMBps, int qps) {

    public static InstanceLimits of(InstanceClass c, Overrides o) {
        return new InstanceLimits(
                o.memoryMb() != null ? o.memoryMb() : classMemory(c, o),
                o.maxConnections() != null ? o.maxConnections() : c.maxConnections(),
                o.bandwidthMBps() != null ? o.bandwidthMBps() : c.bandwidthMBps(),
                o.qps() != null ? o.qps() : c.qps());
    }

    /** A cluster with fewer shards than its class still gives each shard the class's shard memory. */
    private static long classMemory(InstanceClass c, Overrides o) {
        if (!c.isCluster() || o.shardCount() == null) {
            return c.memoryMb();
        }
        return c.memoryMb() / c.shards() * o.shardCount();
    }
}
