package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** An instance as {@code GET /api/v1/instances/{id}} shows it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Instance(String instanceId, String name, String instanceClass, String architecture, String nodeType,
                       String status, String host, int port, String vpcAuthMode, String engineVersion,
                       Limits limits, List<Node> nodes, Instant createdAt) {

    public static final String NORMAL = "Normal";

    /** The tier's caps in force (the class's, or the overrides given at creation). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Limits(long memoryMb, int maxConnections, int bandwidthMBps, int qps) {
    }

    /** One redis-server node; {@code state} is up, paused, down or stopped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(String nodeId, String role, int shard, int port, Long pid, String state,
                       Long replicationOffset) {
    }

    /** The endpoint a client uses; the API does not show passwords, so the caller passes it (null: none). */
    public Endpoint endpoint(String password) {
        return new Endpoint(instanceId, host, port, password);
    }

    /** The master node of a shard (0 for a standard instance). */
    public Node master(int shard) {
        return nodes.stream().filter(n -> n.shard() == shard && "master".equals(n.role())).findFirst()
                .orElseThrow(() -> new IllegalStateException("instance " + instanceId + " has no master in shard " + shard));
    }
}
