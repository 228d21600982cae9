package dev.kvsim.faults.node;

import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;

/**
 * {@code break_replication}: the shard's replica stops following its master for the fault's
 * duration, so the lag grows with every write; an AvailablePriority switchover or a failover
 * meanwhile loses what the replica had not received.
 */
public final class BreakReplicationFault extends NodeFault {

    public BreakReplicationFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    public void start(FaultScope scope) {
        scope.nodes().breakReplication(shard());
    }

    @Override
    public void stop(FaultScope scope) {
        scope.nodes().restoreReplication(shard());
    }
}
