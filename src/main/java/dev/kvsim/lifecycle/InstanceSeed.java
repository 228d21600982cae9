package dev.kvsim.lifecycle;

import dev.kvsim.instance.StoredInstance;

/**
 * The data a new instance starts with instead of none (a clone of a backup): laid into the directories of its
 * masters before its nodes first start.
 */
public interface InstanceSeed {

    /**
     * The instance passed every check and is about to be stored: the seed records what a kvsim that stops before
     * the data is laid must redo at its next start.
     */
    void accepted(StoredInstance i);

    /** Writes the data into the node directories of the instance's masters; no node of it runs yet. */
    void lay(StoredInstance i);

    /** The nodes are up with the data (what the seed laid but the nodes must not find at a later start can go). */
    default void started(StoredInstance i) {
    }
}
