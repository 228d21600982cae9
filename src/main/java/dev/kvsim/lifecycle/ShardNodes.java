package dev.kvsim.lifecycle;

import dev.kvsim.engine.NodeProcess;

/**
 * The live nodes of one shard (a standard instance has one): which process is the master now and
 * which the replica. Roles change on failover and switchover, so they live here and not in the
 * process's start-time spec.
 */
public final class ShardNodes {

    private final int shard;
    private volatile NodeProcess master;
    private volatile NodeProcess replica;
    /** A kill_shard fault holds the shard down: HA leaves it dead until the fault ends. */
    private volatile boolean heldDown;

    ShardNodes(int shard, NodeProcess master, NodeProcess replica) {
        this.shard = shard;
        this.master = master;
        this.replica = replica;
    }

    public int shard() {
        return shard;
    }

    public NodeProcess master() {
        return master;
    }

    /** Null for a single-replica instance. */
    public NodeProcess replica() {
        return replica;
    }

    public synchronized void set(NodeProcess newMaster, NodeProcess newReplica) {
        this.master = newMaster;
        this.replica = newReplica;
    }

    public boolean heldDown() {
        return heldDown;
    }

    public void setHeldDown(boolean held) {
        this.heldDown = held;
    }
}
