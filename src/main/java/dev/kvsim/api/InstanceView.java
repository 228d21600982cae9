package dev.kvsim.api;

import java.time.Instant;
import java.util.List;

/** An instance as the admin API shows it. */
public record InstanceView(String instanceId, String name, String instanceClass, String architecture, String nodeType,
                           String status, String host, int port, String vpcAuthMode, String engineVersion,
                           Limits limits, List<Node> nodes, Instant createdAt) {

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
