package dev.kvsim.metrics;

/**
 * What one series of an instance measures: the instance as a whole, one shard (its master at each second),
 * or one node (by its stable node ID; its role may change on failover and switchover).
 */
public record MetricScope(Level level, int shard, String nodeId) {

    public enum Level {
        INSTANCE, SHARD, NODE
    }

    public static final MetricScope INSTANCE = new MetricScope(Level.INSTANCE, -1, null);

    public static MetricScope shard(int shard) {
        return new MetricScope(Level.SHARD, shard, null);
    }

    public static MetricScope node(int shard, String nodeId) {
        return new MetricScope(Level.NODE, shard, nodeId);
    }

    /** As the store keeps it: {@code instance}, {@code shard:0}, {@code node:<nodeId>}. */
    public String storedName() {
        return switch (level) {
            case INSTANCE -> "instance";
            case SHARD -> "shard:" + shard;
            case NODE -> "node:" + nodeId;
        };
    }
}
