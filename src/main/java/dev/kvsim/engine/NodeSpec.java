package dev.kvsim.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one data node is: where it lives, how big it is and whom it replicates from.
 *
 * @param engineConfig  engine settings from the instance's parameters ({@code maxmemory-policy}, {@code hz}, …)
 * @param replicaOfPort the master's port for a replica, or 0 for a master
 */
public record NodeSpec(String nodeId, Path dir, int port, long memoryMb, Map<String, String> engineConfig,
                       boolean appendOnly, String internalPassword, int replicaOfPort, int maxClients) {

    public NodeSpec withPort(int newPort) {
        return new NodeSpec(nodeId, dir, newPort, memoryMb, engineConfig, appendOnly, internalPassword,
                replicaOfPort, maxClients);
    }

    public NodeSpec withReplicaOf(int masterPort) {
        return new NodeSpec(nodeId, dir, port, memoryMb, engineConfig, appendOnly, internalPassword,
                masterPort, maxClients);
    }
}
