package dev.kvsim.faults.node;

import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;

/** {@code kill_node}: SIGKILL of the master (default) or the replica, as a crash; HA takes over. */
public final class KillNodeFault extends NodeFault {

    public KillNodeFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    public void start(FaultScope scope) {
        scope.nodes().kill(shard(), role());
    }

    @Override
    public void stop(FaultScope scope) {
        // a crash is not undone: HA has replaced the node (or is replacing it)
    }

    @Override
    public boolean instantaneous() {
        return true;
    }
}
