package dev.kvsim.faults.network;

/**
 * One connection the proxy holds: a client's connection to logical proxy {@code proxyIndex}
 * ({@code shard} -1), or a connection from the proxy to the master of {@code shard}
 * ({@code proxyIndex} -1 when the connection is shared by the clients of several proxies).
 */
public record Link(boolean client, int proxyIndex, int shard) {

    public static Link client(int proxyIndex) {
        return new Link(true, proxyIndex, -1);
    }

    public static Link backend(int shard, int proxyIndex) {
        return new Link(false, proxyIndex, shard);
    }
}
