package dev.kvsim.faults;

import dev.kvsim.faults.command.DelayFault;
import dev.kvsim.faults.command.ErrorReplyFault;
import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.network.BandwidthFault;
import dev.kvsim.faults.network.LatencyFault;
import dev.kvsim.faults.network.LimitDataFault;
import dev.kvsim.faults.network.RefuseConnectionsFault;
import dev.kvsim.faults.network.ResetPeerFault;
import dev.kvsim.faults.network.SlicerFault;
import dev.kvsim.faults.network.SlowCloseFault;
import dev.kvsim.faults.network.TimeoutFault;
import dev.kvsim.faults.node.BreakReplicationFault;
import dev.kvsim.faults.node.KillNodeFault;
import dev.kvsim.faults.node.KillShardFault;
import dev.kvsim.faults.node.PauseNodeFault;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Every fault type by its API name (admin-api.md "HA and faults"): network, command and node faults. */
public final class FaultTypes {

    private static final Map<String, Function<FaultSpec, Fault>> TYPES;

    static {
        Map<String, Function<FaultSpec, Fault>> m = new LinkedHashMap<>();
        m.put(LatencyFault.TYPE, LatencyFault::new);
        m.put(BandwidthFault.TYPE, BandwidthFault::new);
        m.put(TimeoutFault.TYPE, TimeoutFault::new);
        m.put(ResetPeerFault.TYPE, ResetPeerFault::new);
        m.put(SlowCloseFault.TYPE, SlowCloseFault::new);
        m.put(SlicerFault.TYPE, SlicerFault::new);
        m.put(LimitDataFault.TYPE, LimitDataFault::new);
        m.put(RefuseConnectionsFault.TYPE, RefuseConnectionsFault::new);
        m.put("error_reply", ErrorReplyFault::new);
        m.put("delay", DelayFault::new);
        m.put("kill_node", KillNodeFault::new);
        m.put("pause_node", PauseNodeFault::new);
        m.put("break_replication", BreakReplicationFault::new);
        m.put("kill_shard", KillShardFault::new);
        TYPES = Collections.unmodifiableMap(m);
    }

    private FaultTypes() {
    }

    /** The constructor of that type; it throws IllegalArgumentException for attributes the type rejects. */
    public static Optional<Function<FaultSpec, Fault>> factory(String type) {
        return Optional.ofNullable(type == null ? null : TYPES.get(type));
    }

    /** The type names, in a stable order (network, command, node). */
    public static Set<String> types() {
        return TYPES.keySet();
    }

    /** @throws IllegalArgumentException for an unknown type or attributes the type rejects */
    static Fault create(FaultSpec spec) {
        return factory(spec.type()).orElseThrow(() -> new IllegalArgumentException("type must be one of "
                + String.join(", ", TYPES.keySet()) + "; got '" + spec.type() + "'.")).apply(spec);
    }
}
