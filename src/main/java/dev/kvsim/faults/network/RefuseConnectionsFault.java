package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;

import java.util.Random;

/**
 * {@code refuse_connections}: new client connections of the instance, or of one logical proxy, are
 * reset as soon as they are accepted (see {@link NetworkFaults#refuses}); established ones go on.
 */
public final class RefuseConnectionsFault extends NetworkFault {

    public static final String TYPE = "refuse_connections";

    public RefuseConnectionsFault(FaultSpec spec) {
        super(spec);
        if (spec.target().shard() != null || spec.target().node() != null) {
            throw new IllegalArgumentException(TYPE + " targets the instance or one proxy, not a shard or node");
        }
    }

    /** No established connection is touched: the proxy asks at accept time instead. */
    @Override
    public boolean actsOn(Link link, boolean inbound) {
        return false;
    }

    /** Never attached (it acts on no stream); bytes would pass unchanged. */
    @Override
    public Toxic newToxic(Random random) {
        return (chunk, pipe) -> pipe.forward(chunk, 0);
    }
}
