package dev.kvsim.faults.model;

/**
 * What a fault acts on: the whole instance (all fields null), one logical proxy of a cluster
 * instance, a shard, or one node (master or replica) of a shard. A standard instance is shard 0.
 */
public record FaultTarget(Integer shard, String node, Integer proxy) {

    public static final String MASTER = "master";
    public static final String REPLICA = "replica";
    public static final FaultTarget INSTANCE = new FaultTarget(null, null, null);

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isInstance() {
        return shard == null && node == null && proxy == null;
    }

    /** The shard, 0 when only a node is named (a standard instance has one shard). */
    public int shardOrZero() {
        return shard == null ? 0 : shard;
    }

    public boolean namesReplica() {
        return REPLICA.equals(node);
    }
}
