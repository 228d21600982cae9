package dev.kvsim.faults.model;

/**
 * The node operations faults use, on the processes of one instance. Roles are {@link
 * FaultTarget#MASTER} and {@link FaultTarget#REPLICA}; a standard instance has shard 0 only.
 */
public interface NodeControl {

    /** SIGKILL of the node now in that role; HA reacts as to a crash. */
    void kill(int shard, String role);

    /** SIGSTOP of the node now in that role. @return its node ID, for {@link #resume} */
    String pause(int shard, String role);

    /** SIGCONT, if the node still runs (HA may have replaced it meanwhile). */
    void resume(String nodeId);

    /** The replica stops following its master: its offset freezes while the master takes writes. */
    void breakReplication(int shard);

    /** The replica follows its master again (a partial resync catches it up). */
    void restoreReplication(int shard);

    /** Kills both nodes of the shard and keeps HA from bringing it back until {@link #restoreShard}. */
    void killShard(int shard);

    /** Lets HA restart the shard's nodes from their data on disk. */
    void restoreShard(int shard);
}
