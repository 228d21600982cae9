package dev.kvsim.injection;

import dev.kvsim.faults.command.DelayFault;
import dev.kvsim.faults.command.ErrorReplyFault;
import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.network.NetworkFaultTypes;
import dev.kvsim.faults.node.BreakReplicationFault;
import dev.kvsim.faults.node.KillNodeFault;
import dev.kvsim.faults.node.KillShardFault;
import dev.kvsim.faults.node.PauseNodeFault;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Every fault type by its API name (admin-api.md "HA and faults"). */
final class FaultTypes {

    private static final Map<String, Function<FaultSpec, Fault>> TYPES = new LinkedHashMap<>();

    static {
        NetworkFaultTypes.types().forEach(t -> TYPES.put(t, spec -> NetworkFaultTypes.factory(t).orElseThrow().apply(spec)));
        TYPES.put("error_reply", ErrorReplyFault::new);
        TYPES.put("delay", DelayFault::new);
        TYPES.put("kill_node", KillNodeFault::new);
        TYPES.put("pause_node", PauseNodeFault::new);
        TYPES.put("break_replication", BreakReplicationFault::new);
        TYPES.put("kill_shard", KillShardFault::new);
    }

    private FaultTypes() {
    }

    /** @throws IllegalArgumentException for an unknown type or attributes the type rejects */
    static Fault create(FaultSpec spec) {
        Function<FaultSpec, Fault> factory = TYPES.get(spec.type());
        if (factory == null) {
            throw new IllegalArgumentException("type must be one of " + String.join(", ", TYPES.keySet()) + "; got '"
                    + spec.type() + "'.");
        }
        return factory.apply(spec);
    }
}
