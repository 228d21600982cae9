package dev.kvsim.faults;

/** Where a fault is in its life: waiting for its start, acting, or over (for good). */
public enum FaultStatus {
    Scheduled, Active, Ended
}
