package dev.kvsim.proxy;

import io.vertx.core.Context;
import io.vertx.core.net.NetClient;

/** One client connection on an instance's port: a standard instance's or a cluster instance's. */
public interface ClientSession {

    void start(NetClient backendClient);

    /** The event loop the session runs on. */
    Context context();

    /** Ends the session and its connections, once; on its event loop. */
    void close();

    /** Closes the session from any thread. */
    default void closeAsync() {
        context().runOnContext(v -> close());
    }
}
