package dev.kvsim.faults.node;

import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;

/** A fault acting on node processes through the control plane rather than in the proxy. */
abstract class NodeFault implements Fault {

    private final FaultSpec spec;

    NodeFault(FaultSpec spec) {
        this.spec = spec;
        if (spec.target().proxy() != null) {
            throw new IllegalArgumentException(spec.type() + " acts on nodes: target a shard and a node, not a proxy.");
        }
    }

    @Override
    public FaultSpec spec() {
        return spec;
    }

    int shard() {
        return spec.target().shardOrZero();
    }

    /** The role the target names; the master when it names none. */
    String role() {
        return spec.target().node() == null ? FaultTarget.MASTER : spec.target().node();
    }
}
