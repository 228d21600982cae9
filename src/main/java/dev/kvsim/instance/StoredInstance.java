package dev.kvsim.instance;

import java.time.Instant;
import java.util.List;

/** An instance as the store holds it (a detached copy, safe to pass between threads). */
public record StoredInstance(String instanceId, String name, String instanceClass, InstanceStatus status, int port,
                             String password, String vpcAuthMode, String internalPassword, Overrides overrides,
                             boolean defaultInstance, Instant createdAt, List<StoredNode> nodes) {

    public static final String AUTH_OPEN = "Open";
    public static final String AUTH_CLOSE = "Close";

    public boolean passwordFree() {
        return AUTH_CLOSE.equals(vpcAuthMode) || password == null;
    }
}
