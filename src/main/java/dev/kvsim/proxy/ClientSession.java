package dev.kvsim.proxy;

import io.vertx.core.net.NetClient;

/** One client connection on an instance's port: a standard instance's or a cluster instance's. */
public interface ClientSession {

    void start(NetClient backendClient);

    /** Closes the session from any thread. */
    void closeAsync();
}
