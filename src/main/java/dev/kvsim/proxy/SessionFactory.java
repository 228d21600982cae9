package dev.kvsim.proxy;

import io.vertx.core.net.NetSocket;

/**
 * Makes the client sessions of one kind of instance (standard or cluster) and keeps what they
 * share, so that the endpoint itself does not depend on either kind.
 */
public interface SessionFactory {

    /** A session for a client connection that passed the whitelist and the connection cap. */
    ClientSession open(InstanceProxy proxy, NetSocket client, int proxyIndex);

    /**
     * The shard's master changed: the sessions move to the new one, keeping the client connections.
     *
     * @return false when they cannot, and every client connection must be dropped instead
     */
    default boolean relink(int shard) {
        return false;
    }

    /** Closes what the sessions share (shard connections), when every client connection is dropped. */
    default void dropShared() {
    }
}
