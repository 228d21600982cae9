package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The network fault types by name, for the API to build and validate faults from their specs. */
public final class NetworkFaultTypes {

    private static final Map<String, Function<FaultSpec, NetworkFault>> FACTORIES;

    static {
        Map<String, Function<FaultSpec, NetworkFault>> m = new LinkedHashMap<>();
        m.put(LatencyFault.TYPE, LatencyFault::new);
        m.put(BandwidthFault.TYPE, BandwidthFault::new);
        m.put(TimeoutFault.TYPE, TimeoutFault::new);
        m.put(ResetPeerFault.TYPE, ResetPeerFault::new);
        m.put(SlowCloseFault.TYPE, SlowCloseFault::new);
        m.put(SlicerFault.TYPE, SlicerFault::new);
        m.put(LimitDataFault.TYPE, LimitDataFault::new);
        m.put(RefuseConnectionsFault.TYPE, RefuseConnectionsFault::new);
        FACTORIES = Collections.unmodifiableMap(m);
    }

    private NetworkFaultTypes() {
    }

    /** The constructor of that type; it throws IllegalArgumentException for bad attributes. */
    public static Optional<Function<FaultSpec, NetworkFault>> factory(String type) {
        return Optional.ofNullable(type == null ? null : FACTORIES.get(type));
    }

    /** The type names, in a stable order. */
    public static Set<String> types() {
        return FACTORIES.keySet();
    }
}
