package dev.kvsim.proxy;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;

/**
 * When a standard session stops reading one side of its connection pair: the client while its node
 * connection opens, while that connection's write queue is full, while more of its replies are
 * unsent than its bound ({@code kvsim.proxy.client-output-limit}), and for a while when a cap holds
 * it back (bandwidth, QPS, a delay fault); the engine while the client's write queue is full (so that
 * replies to a client that does not read wait in the engine, as they would without a proxy) and for
 * a while when the bandwidth cap holds it back. A drain never resumes a side another reason holds.
 */
final class ReadHolds {

    private final NetSocket client;
    private final ReadPauses clientReads;
    private final ReadPauses engineReads;
    private NetSocket backend;

    /** @param readHeld runs before the client is read again: what the session held back goes first */
    ReadHolds(Context context, NetSocket client, int outputLimit, Runnable readHeld) {
        this.client = client;
        client.setWriteQueueMaxSize(outputLimit);
        this.clientReads = new ReadPauses(context, readHeld).attach(client);
        this.engineReads = new ReadPauses(context);
        clientReads.hold(ReadPauses.WAITING);
    }

    /** Each side is read again when the other's write queue drains, unless another reason holds it. */
    void connected(NetSocket backend) {
        this.backend = backend;
        engineReads.attach(backend);
        backend.drainHandler(v -> clientReads.release(ReadPauses.PEER_FULL));
        client.drainHandler(v -> {
            clientReads.release(ReadPauses.BACKLOG);
            engineReads.release(ReadPauses.PEER_FULL);
        });
    }

    /** The node connection is ready: the client is read. */
    void readClient() {
        clientReads.release(ReadPauses.WAITING);
    }

    /** After a write to the client: past the bound, neither the client nor the engine is read until it drains. */
    void afterClientWrite() {
        if (client.writeQueueFull()) {
            clientReads.hold(ReadPauses.BACKLOG);
            engineReads.hold(ReadPauses.PEER_FULL);
        }
    }

    /** After a write to the engine: while its write queue is full, the client is not read. */
    void afterEngineWrite() {
        if (backend != null && backend.writeQueueFull()) {
            clientReads.hold(ReadPauses.PEER_FULL);
        }
    }

    /** Whether the client is not to be read now: the session stops framing its commands. */
    boolean clientHeld() {
        return clientReads.held();
    }

    /** Stops reading the client for {@code nanos} (bandwidth, QPS, a delay fault). */
    void holdClient(long nanos) {
        clientReads.holdFor(nanos);
    }

    /** Stops reading the engine's replies for {@code nanos} (bandwidth on the way back). */
    void holdBackend(long nanos) {
        engineReads.holdFor(nanos);
    }
}
