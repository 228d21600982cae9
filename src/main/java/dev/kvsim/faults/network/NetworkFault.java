package dev.kvsim.faults.network;

import dev.kvsim.faults.model.ProxyFault;
import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;

import java.util.Random;

/**
 * A fault in the proxy's byte streams, modelled on Toxiproxy's toxics: it acts on every link its
 * target names, in one direction ({@code upstream}: client → server; {@code downstream}: back).
 * The instance (or a logical proxy) as target means the client connections; a shard or its
 * master means the proxy's connections to that shard's master.
 */
public abstract class NetworkFault extends ProxyFault {

    protected NetworkFault(FaultSpec spec) {
        super(spec);
    }

    /** Faults that act without data (a close or reset timer) reach idle connections at once. */
    @Override
    public void start(FaultScope scope) {
        super.start(scope);
        if (actsOnIdleConnections()) {
            scope.proxy().wakeConnections();
        }
    }

    /** Whether the fault must reach connections that carry no data (default: no). */
    protected boolean actsOnIdleConnections() {
        return false;
    }

    /** Whether the fault acts on this link at all (its direction aside). */
    public boolean appliesTo(Link link) {
        FaultTarget t = spec().target();
        if (t.isInstance()) {
            return link.client();
        }
        if (t.proxy() != null) {
            return link.client() && link.proxyIndex() == t.proxy();
        }
        return !link.client() && link.shard() == t.shardOrZero();
    }

    /**
     * Whether the stream going from client to server on this link is the direction the fault acts on,
     * for data the handler reads ({@code inbound}) or writes.
     */
    public boolean actsOn(Link link, boolean inbound) {
        boolean upstreamData = link.client() == inbound;
        return upstreamData == spec().isUpstream();
    }

    /** Toxicity: whether a new connection gets the fault (drawn once per connection). */
    public boolean drawForConnection() {
        return draw();
    }

    /** A seed for one connection's own randomness (jitter, slice sizes). */
    @Override
    public long nextSeed() {
        return super.nextSeed();
    }

    /** The per-connection state of this fault on one link and direction. */
    public abstract Toxic newToxic(Random random);
}
