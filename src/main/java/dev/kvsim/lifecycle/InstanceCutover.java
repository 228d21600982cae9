package dev.kvsim.lifecycle;

import dev.kvsim.core.ServiceError;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Switches a running instance over to new settings as the service's switch does: the new settings are
 * stored and the proxy enforces them at once, then every client connection open at that moment is dropped
 * once (the service documents a brief disconnect, within 30 s); a client that reconnects gets the new
 * settings, and new connections are never refused. The data stays on its nodes. An engine major version
 * upgrade switches this way; a spec change's final switch is meant to as well.
 */
@ApplicationScoped
public class InstanceCutover {

    /** What the switch cost clients: the connections dropped, and how long the switch took on kvsim's side. */
    public record Result(int droppedConnections, double switchMs) {
    }

    private final InstanceProvisioner provisioner;

    public InstanceCutover(InstanceProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    /**
     * Runs {@code store} (which saves the new settings), has the proxy enforce what the store now holds, and
     * drops the clients' connections; under the instance's nodes lock, so that no failover or restart runs
     * in between.
     *
     * @throws ServiceError 409 when the instance is not running
     */
    public Result switchOver(String instanceId, Runnable store) {
        RunningInstance r = provisioner.running(instanceId).orElseThrow(() ->
                new ServiceError(409, "IncorrectDBInstanceState", "Instance " + instanceId + " is not running."));
        r.nodesLock().lock();
        try {
            long start = System.nanoTime();
            store.run();
            provisioner.refreshPolicy(instanceId);
            int dropped = r.proxy().openSessions();
            r.proxy().dropConnections();
            return new Result(dropped, (System.nanoTime() - start) / 1_000_000.0);
        } finally {
            r.nodesLock().unlock();
        }
    }
}
