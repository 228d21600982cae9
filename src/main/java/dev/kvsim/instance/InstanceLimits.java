package dev.kvsim.instance;

import dev.kvsim.catalog.InstanceClass;

/**
 * The figures an instance runs with: its class's, or the overrides. {@code memoryMb} is the whole
 * instance's; a cluster splits it equally among its shards.
 */
public record InstanceLimits(long memoryMb, int maxConnections, int bandwidthMBps, int qps) {

    public static InstanceLimits of(InstanceClass c, Overrides o) {
        return new InstanceLimits(
                o.memoryMb() != null ? o.memoryMb() : perShards(c.memoryMb(), c, o),
                o.maxConnections() != null ? o.maxConnections() : c.maxConnections(),
                o.bandwidthMBps() != null ? o.bandwidthMBps() : (int) perShards(c.bandwidthMBps(), c, o),
                o.qps() != null ? o.qps() : (int) perShards(c.qps(), c, o));
    }

    /**
     * A cluster class's memory, bandwidth and QPS are its shards' sum (service-facts §2), so a cluster
     * with fewer shards than its class gets each shard's share times its shards. Connections are the
     * proxies', which a smaller cluster keeps.
     */
    private static long perShards(long classFigure, InstanceClass c, Overrides o) {
        if (!c.isCluster() || o.shardCount() == null) {
            return classFigure;
        }
        return classFigure / c.shards() * o.shardCount();
    }
}
