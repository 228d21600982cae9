package dev.kvsim.instance;

/** One data node of an instance: role {@code master} or {@code replica}. */
public record StoredNode(String nodeId, String role, int shard, int port) {

    public static final String MASTER = "master";
    public static final String REPLICA = "replica";

    public boolean isMaster() {
        return MASTER.equals(role);
    }

    public StoredNode withPort(int newPort) {
        return new StoredNode(nodeId, role, shard, newPort);
    }
}
