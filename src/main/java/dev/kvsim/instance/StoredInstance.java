package dev.kvsim.instance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An instance as the store holds it (a detached copy, safe to pass between threads).
 *
 * @param passwordHash the default account's password as a {@link dev.kvsim.access.PasswordHash}; null: none
 * @param internalPassword kvsim's own password for the instance's nodes, in clear: kvsim configures them with it
 * @param majorVersion the engine major version the instance was created with ("5.0", "7.0"); null for an
 *                     instance created before kvsim recorded it: the engine's own
 * @param tags         the instance's tags, by key
 * @param clientToken  the idempotency token of the CreateInstance call that made it, or null
 */
public record StoredInstance(String instanceId, String name, String instanceClass, InstanceStatus status, int port,
                             String passwordHash, String vpcAuthMode, String internalPassword, Overrides overrides,
                             boolean defaultInstance, Instant createdAt, List<StoredNode> nodes,
                             String slotMap, Placement placement, String majorVersion, Map<String, String> tags,
                             boolean releaseProtection, String clientToken) {

    public static final String AUTH_OPEN = "Open";
    public static final String AUTH_CLOSE = "Close";

    /** A cluster instance has a slot map; a standard one has none. */
    public boolean isCluster() {
        return slotMap != null;
    }

    public boolean passwordFree() {
        return AUTH_CLOSE.equals(vpcAuthMode) || passwordHash == null;
    }

    /** The number of shards: 1 for a standard instance. */
    public int shardCount() {
        return (int) nodes.stream().mapToInt(StoredNode::shard).distinct().count();
    }
}
