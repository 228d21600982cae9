package dev.kvsim.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An instance as the admin API shows it. {@code engineVersion} is the version of the engine kvsim runs,
 * {@code majorVersion} the one the instance was created with (the service's EngineVersion).
 */
public record InstanceView(String instanceId, String name, String instanceClass, String architecture, String nodeType,
                           String status, String host, int port, String vpcAuthMode, String engineVersion,
                           String majorVersion, String regionId, String zoneId, Map<String, String> tags,
                           boolean releaseProtection, Limits limits, List<Node> nodes, Instant createdAt) {

    public record Limits(long memoryMb, int maxConnections, int bandwidthMBps, int qps) {
    }

    /**
     * {@code state}: up, paused, down (process gone) or stopped (not running now).
     * {@code replicationOffset}: the node's replication offset at HA's last check (null before one).
     */
    public record Node(String nodeId, String role, int shard, int port, Long pid, String state,
                       Long replicationOffset) {
    }
}
