package dev.kvsim.faults.node;

import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;

/**
 * {@code pause_node}: SIGSTOP of the node for the fault's duration, a hung process. A master
 * paused longer than HA's detection time is failed over, as the service would.
 */
public final class PauseNodeFault extends NodeFault {

    private volatile String pausedNode;

    public PauseNodeFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    public void start(FaultScope scope) {
        pausedNode = scope.nodes().pause(shard(), role());
    }

    @Override
    public void stop(FaultScope scope) {
        if (pausedNode != null) {
            scope.nodes().resume(pausedNode);
        }
    }
}
