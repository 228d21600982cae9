package dev.kvsim.proxy;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;

import java.util.function.BooleanSupplier;

/**
 * When a standard session stops reading one side of its connection pair: while the other side's
 * write queue is full (back-pressure), or for a while when a cap holds it back (bandwidth, QPS, a
 * delay fault). A drain never resumes a side early that a cap still holds.
 */
final class ReadHolds {

    private final Context context;
    private final NetSocket client;
    private NetSocket backend;
    private boolean clientHeld;
    private boolean backendHeld;

    ReadHolds(Context context, NetSocket client) {
        this.context = context;
        this.client = client;
    }

    /** Each side is read again when the other's write queue drains, unless a cap holds it. */
    void connected(NetSocket backend) {
        this.backend = backend;
        backend.drainHandler(v -> {
            if (!clientHeld) {
                client.resume();
            }
        });
        client.drainHandler(v -> {
            if (!backendHeld) {
                backend.resume();
            }
        });
    }

    /**
     * Stops reading the client for {@code nanos}; then runs {@code then} (which answers false when
     * the session is gone) and reads on unless it was held again meanwhile.
     */
    void holdClient(long nanos, BooleanSupplier then) {
        client.pause();
        clientHeld = true;
        Throttle.after(context, nanos, () -> {
            clientHeld = false;
            if (then.getAsBoolean() && !clientHeld && !backend.writeQueueFull()) {
                client.resume();
            }
        });
    }

    /** Stops reading the engine's replies for {@code nanos} (bandwidth on the way back). */
    void holdBackend(long nanos, BooleanSupplier open) {
        backend.pause();
        backendHeld = true;
        Throttle.after(context, nanos, () -> {
            backendHeld = false;
            if (open.getAsBoolean() && !client.writeQueueFull()) {
                backend.resume();
            }
        });
    }
}
