package dev.kvsim.faults.model;

/**
 * One fault type's behaviour. A fault is started when its {@code startAt} comes and stopped when
 * its duration ends, when it is deleted, or at {@code POST /api/v1/faults/reset}.
 */
public interface Fault {

    FaultSpec spec();

    /** Starts acting on the target of {@link #spec()} in the instance the scope gives. */
    void start(FaultScope scope);

    /** Stops acting and undoes what can be undone (resumes a paused node, restores replication). */
    void stop(FaultScope scope);

    /** A fault that acts once (a kill) ends right after it starts; others last their duration. */
    default boolean instantaneous() {
        return false;
    }
}
