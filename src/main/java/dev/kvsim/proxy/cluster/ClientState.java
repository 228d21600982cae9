package dev.kvsim.proxy.cluster;

import java.util.BitSet;

/**
 * What a cluster client's connection keeps between its commands, as the engine keeps it per
 * connection; the proxy applies it on every shard. Confined to the session's event loop.
 */
final class ClientState {

    /** The SELECTed database, the same on every shard. */
    int db;
    /** CLIENT SETNAME / HELLO SETNAME; null when none. */
    String clientName;
    /** The RESP version the client speaks (HELLO): 2 or 3. */
    int protocol = 2;
    /** Client-side caching (CLIENT TRACKING ON): every command takes the client's own shard connections. */
    boolean tracking;
    /** The shards this client wrote to since it connected (or RESET), which WAIT waits on. */
    final BitSet written = new BitSet();

    boolean resp3() {
        return protocol == 3;
    }

    /** RESET: as a new connection's. */
    void reset() {
        db = 0;
        clientName = null;
        protocol = 2;
        tracking = false;
        written.clear();
    }
}
