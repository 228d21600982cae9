package dev.kvsim.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one data node is: where it lives, how big it is and whom it replicates from.
 *
 * @param engineConfig  engine settings from the instance's parameters ({@code maxmemory-policy}, {@code hz}, …)
 * @param replicaOfPort the master's port for a replica, or 0 for a master
 * @param aclUsers      engine users of the instance's accounts: "name rules…", as after {@code user} in redis.conf
 */
public record NodeSpec(String nodeId, Path dir, int port, long memoryMb, Map<String, String> engineConfig,
                       boolean appendOnly, String internalPassword, int replicaOfPort, int maxClients,
                       List<String> aclUsers) {

    public NodeSpec withPort(int newPort) {
        return new NodeSpec(nodeId, dir, newPort, memoryMb, engineConfig, appendOnly, internalPassword,
                replicaOfPort, maxClients, aclUsers);
    }

    public NodeSpec withReplicaOf(int masterPort) {
        return new NodeSpec(nodeId, dir, port, memoryMb, engineConfig, appendOnly, internalPassword,
                masterPort, maxClients, aclUsers);
    }
}
