package dev.kvsim.faults.node;

import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;

/**
 * {@code kill_shard}: both nodes of a shard die and stay down for the fault's duration (the
 * shard's keys fail); at its end HA restarts them from their data on disk.
 */
public final class KillShardFault extends NodeFault {

    public KillShardFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    public void start(FaultScope scope) {
        scope.nodes().killShard(shard());
    }

    @Override
    public void stop(FaultScope scope) {
        scope.nodes().restoreShard(shard());
    }
}
