package dev.kvsim.proxy;

/**
 * Hears of every client connection attempt on an instance's port and whether the instance served
 * it, for availability accounting. Refusals the customer causes (whitelist, connection cap) are
 * not attempts the service failed, so they are not reported.
 */
public interface ConnectionRecorder {

    ConnectionRecorder NONE = (instanceId, served) -> { };

    void attempt(String instanceId, boolean served);
}
