package dev.kvsim.ha;

/**
 * {@code POST …/switchover}: {@code switchType} AvailablePriority (default) or ReliabilityPriority,
 * {@code switchMode} 0 now (default) or 1 in the maintenance window, {@code shard} of a cluster
 * instance (default 0), and kvsim's {@code readOnlyMs}: how long writes answer READONLY afterwards
 * (default: the HA profile's read-only window).
 */
public record SwitchoverRequest(String switchType, Integer switchMode, Integer shard, Long readOnlyMs) {

    public static final String AVAILABLE = "AvailablePriority";
    public static final String RELIABLE = "ReliabilityPriority";
}
