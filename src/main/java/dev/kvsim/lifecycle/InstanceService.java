package dev.kvsim.lifecycle;

import dev.kvsim.instance.CreateInstanceRequest;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;

import dev.kvsim.core.ServiceError;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The instance lifecycle as the service runs it: validation, the status machine
 * (Creating → Normal, Rebooting, Flushing, deleted) and the work behind each step.
 */
@ApplicationScoped
public class InstanceService {

    private static final long WAIT_SECONDS = 120;

    private final InstanceStore store;
    private final InstanceProvisioner provisioner;
    private final ExecutorService workers;
    private final EventStore events;
    private final jakarta.enterprise.event.Event<InstanceDeleted> deleted;
    /** Orders the creates that carry a client token, so that two with the same token make one instance. */
    private final Object tokenLock = new Object();

    private final NewInstanceValidator validator;

    public InstanceService(InstanceStore store, InstanceProvisioner provisioner, EventStore events,
                           jakarta.enterprise.event.Event<InstanceDeleted> deleted, NewInstanceValidator validator) {
        this.validator = validator;
        this.store = store;
        this.provisioner = provisioner;
        this.events = events;
        this.deleted = deleted;
        this.workers = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-control"));
    }

    public List<StoredInstance> list() {
        return store.all();
    }

    public StoredInstance get(String instanceId) {
        return store.require(instanceId);
    }

    /**
     * Validates, stores (Creating), opens the port, then starts the nodes in the background. A request whose
     * client token made an instance that still exists answers that instance and creates nothing.
     */
    public StoredInstance create(CreateInstanceRequest req, boolean defaultInstance, boolean wait) {
        return create(req, defaultInstance, wait, null);
    }

    /**
     * As {@link #create(CreateInstanceRequest, boolean, boolean)}, for an instance that starts with the data of
     * {@code seed} (a clone): the seed lays it before the nodes first start.
     */
    public StoredInstance create(CreateInstanceRequest req, boolean wait, InstanceSeed seed) {
        return create(req, false, wait, seed);
    }

    private StoredInstance create(CreateInstanceRequest req, boolean defaultInstance, boolean wait, InstanceSeed seed) {
        StoredInstance i;
        if (req != null && req.clientToken() != null) {
            synchronized (tokenLock) {
                Optional<StoredInstance> made = store.findByClientToken(req.clientToken());
                if (made.isPresent()) {
                    return made.get();
                }
                i = validator.validate(req, defaultInstance);
                insert(i, seed);
            }
        } else {
            i = validator.validate(req, defaultInstance);
            insert(i, seed);
        }
        return start(i, wait, seed);
    }

    private void insert(StoredInstance i, InstanceSeed seed) {
        if (seed != null) {
            seed.accepted(i);
        }
        store.insert(i);
    }

    /** Opens the new instance's port and starts its nodes in the background, after the seed laid its data. */
    private StoredInstance start(StoredInstance i, boolean wait, InstanceSeed seed) {
        try {
            provisioner.openEndpoint(i);
        } catch (InstanceProvisioner.PortTakenException e) {
            store.delete(i.instanceId());
            throw ServiceError.invalid("The port " + i.port() + " is already in use by another process.");
        }
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
            if (seed != null) {
                try {
                    seed.lay(i);
                } catch (RuntimeException e) {
                    Log.errorf("instance %s could not get its data: %s", i.instanceId(), e.getMessage());
                    store.setStatus(i.instanceId(), InstanceStatus.Error);
                    throw e;
                }
            }
            bringUp(i, InstanceStatus.Creating);
            if (seed != null) {
                seed.started(i);
            }
            events.record(i.instanceId(), Event.CREATED, Map.of("instanceClass", i.instanceClass(), "port", i.port()));
        }, workers);
        if (wait) {
            await(work, i.instanceId());
        }
        return get(i.instanceId());
    }

    /** Starts a stored instance's endpoint and nodes (kvsim start). */
    public void restore(StoredInstance i) {
        provisioner.openEndpoint(i);
        bringUp(i, i.status());
    }

    private void bringUp(StoredInstance i, InstanceStatus from) {
        try {
            List<StoredNode> nodes = provisioner.startNodes(i);
            store.saveNodes(i.instanceId(), nodes);
            store.setStatus(i.instanceId(), InstanceStatus.Normal);
            if (from != InstanceStatus.Normal) {
                Log.infof("instance %s is Normal on 127.0.0.1:%d", i.instanceId(), i.port());
            }
        } catch (RuntimeException e) {
            Log.errorf("instance %s could not start: %s", i.instanceId(), e.getMessage());
            store.setStatus(i.instanceId(), InstanceStatus.Error);
            throw e;
        }
    }

    public StoredInstance restart(String instanceId, boolean wait) {
        StoredInstance i = store.transition(instanceId, InstanceStatus.Rebooting, InstanceStatus.Normal, InstanceStatus.Error);
        if (provisioner.running(instanceId).isEmpty()) {
            // Its port was taken when kvsim started: try to open it now.
            try {
                provisioner.openEndpoint(i);
            } catch (InstanceProvisioner.PortTakenException e) {
                store.setStatus(instanceId, InstanceStatus.Error);
                throw new ServiceError(409, "InstancePortInUse", "The port " + i.port() + " is still in use by another process.");
            }
        }
        Instant requestedAt = events.now();
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
            RunningInstance r = provisioner.running(instanceId).orElseThrow();
            r.nodesLock().lock();  // not while a fault or HA works on the nodes
            try {
                provisioner.stopNodes(instanceId);
                bringUp(i, InstanceStatus.Rebooting);
            } finally {
                r.nodesLock().unlock();
            }
            events.record(instanceId, Event.RESTARTED, Map.of("requestedAt", requestedAt.toString(),
                    "doneAt", events.now().toString()));
        }, workers);
        if (wait) {
            await(work, instanceId);
        }
        return get(instanceId);
    }

    /**
     * Replaces the data under the instance's nodes (a restore): stops them (every client is disconnected), runs
     * {@code swap} on their stopped directories and starts them again; the instance is Normal after. The caller
     * has moved the instance to a status HA leaves alone (BackupRecovering); the nodes lock keeps faults and
     * repairs away meanwhile. If the swap fails, the nodes start again on what their directories hold.
     */
    public void reloadData(String instanceId, Runnable swap) {
        RunningInstance r = provisioner.running(instanceId).orElseThrow(() ->
                new IllegalStateException("instance " + instanceId + " has no open endpoint"));
        r.nodesLock().lock();
        try {
            provisioner.stopNodes(instanceId);
            try {
                swap.run();
            } finally {
                bringUp(store.require(instanceId), InstanceStatus.BackupRecovering);
            }
        } finally {
            r.nodesLock().unlock();
        }
    }

    public StoredInstance flush(String instanceId, Integer db) {
        if (db != null && (db < 0 || db > 255)) {
            throw ServiceError.invalid("db must be between 0 and 255 (the instance has 256 databases); got " + db + ".");
        }
        store.transition(instanceId, InstanceStatus.Flushing, InstanceStatus.Normal);
        Instant requestedAt = events.now();
        try {
            provisioner.flush(instanceId, db);
        } finally {
            store.setStatus(instanceId, InstanceStatus.Normal);
        }
        events.record(instanceId, Event.FLUSHED, Map.of("db", db == null ? "all" : db, "requestedAt", requestedAt.toString(),
                "doneAt", events.now().toString()));
        return get(instanceId);
    }

    /**
     * Checks a create as {@link #create} would, and creates nothing (CreateInstance's DryRun).
     *
     * @throws ServiceError what {@link #create} would refuse the request with
     */
    public void check(CreateInstanceRequest req) {
        validator.validate(req, false);
    }

    /** @throws ServiceError 403 while the instance's release protection is on */
    public void delete(String instanceId) {
        if (store.require(instanceId).releaseProtection()) {
            throw new ServiceError(403, "OperationDenied.ReleaseProtection", "The instance " + instanceId
                    + " has release protection on; turn it off (InstanceReleaseProtection=false) before releasing it.");
        }
        store.transition(instanceId, InstanceStatus.Released, InstanceStatus.Normal, InstanceStatus.Error);
        finishDelete(instanceId);
    }

    /** Removes a Released instance's parts and record (also after a kvsim that died mid-delete). */
    public void finishDelete(String instanceId) {
        deleted.fire(new InstanceDeleted(instanceId));
        provisioner.destroy(instanceId);
        store.delete(instanceId);
        events.deleteOf(instanceId);
        Log.infof("instance %s deleted", instanceId);
    }

    private static void await(CompletableFuture<Void> work, String instanceId) {
        try {
            work.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ServiceError(500, "InternalError", "Instance " + instanceId + " could not start: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ServiceError(503, "InternalError", "Instance " + instanceId + " is still not Normal after "
                    + WAIT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceError(503, "InternalError", "interrupted");
        }
    }

    /** kvsim is stopping: nodes stop (their data stays for the next start), ports close. */
    @PreDestroy
    void stopAll() {
        workers.shutdownNow();
        provisioner.runningIds().parallelStream().forEach(provisioner::shutdown);
    }
}
