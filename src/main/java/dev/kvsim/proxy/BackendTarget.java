package dev.kvsim.proxy;

/** Where the proxy sends an instance's commands: the current master node. */
public record BackendTarget(int port, String internalPassword) {
}
