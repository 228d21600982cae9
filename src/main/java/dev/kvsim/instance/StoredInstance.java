package dev.kvsim.instance;

import java.time.Instant;
import java.util.List;

/** An instance as the store holds it (a detached copy, safe to pass between threads). */
public record StoredInstance(String instanceId, String name, String instanceClass, InstanceStatus status, int port,
                             String password, String vpcAuthMode, String internalPassword, Overrides overrides,
                             boolean defaultInstance, Instant createdAt, List<StoredNode> nodes,
                             String slotMap) {

    public static final String AUTH_OPEN = "Open";
    public static final String AUTH_CLOSE = "Close";

    /** A cluster instance has a slot map; a standard one has none. */
    public boolean isCluster() {
        return slotMap != null;
    }

    public boolean passwordFree() {
        return AUTH_CLOSE.equals(vpcAuthMode) || password == null;
    }
}
