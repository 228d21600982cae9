package dev.kvsim.instance;

/** kvsim's per-instance overrides of the class's figures, for cheap tests; null means "the class's". */
public record Overrides(Long memoryMb, Integer maxConnections, Integer bandwidthMBps, Integer shardCount, Integer qps) {

    public static final Overrides NONE = new Overrides(null, null, null, null, null);
}
