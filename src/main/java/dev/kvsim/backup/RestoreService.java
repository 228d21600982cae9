package dev.kvsim.backup;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.lifecycle.InstanceService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * RestoreInstance: the instance's data replaced by a backup's or by the backup log's at a second. The instance is
 * BackupRecovering meanwhile; its id, port, password, accounts and whitelist stay; its clients are disconnected
 * when its nodes stop for the swap, as on the service. What a restore prepares lies beside the nodes until the
 * swap, so that a failure (or a stopped kvsim) before it leaves the instance as it was.
 */
@ApplicationScoped
public class RestoreService {

    private static final long WAIT_SECONDS = 600;

    private final InstanceStore instances;
    private final InstanceService lifecycle;
    private final InstanceProvisioner provisioner;
    private final BackupStore backups;
    private final RestoreJournal journal;
    private final Restorer restorer;
    private final PointInTimeSource pointInTime;
    private final KvsimClock clock;
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-restore"));

    public RestoreService(InstanceStore instances, InstanceService lifecycle, InstanceProvisioner provisioner,
                          BackupStore backups, RestoreJournal journal, Restorer restorer, PointInTimeSource pointInTime,
                          KvsimClock clock) {
        this.instances = instances;
        this.lifecycle = lifecycle;
        this.provisioner = provisioner;
        this.backups = backups;
        this.journal = journal;
        this.restorer = restorer;
        this.pointInTime = pointInTime;
        this.clock = clock;
    }

    /**
     * Restores the instance from a backup (its {@code backupIds}: any of a job's) or to a second of its backup log
     * ({@code restoreTime}); exactly one of them.
     *
     * @param wait answer once the instance is Normal again rather than at once (BackupRecovering)
     * @throws ServiceError 404 unknown instance or backup, 409 not Normal, 403 while a backup of it runs, 400 a
     *                      restore time outside the backup log's window
     */
    public StoredInstance restore(String instanceId, List<Long> backupIds, Instant restoreTime, boolean wait) {
        StoredInstance i = instances.require(instanceId);
        BackupJob job = null;
        if (restoreTime != null) {
            PointInTimeSource.Window w = pointInTime.window(instanceId);
            if (w.from() == null || restoreTime.isBefore(w.from()) || restoreTime.isAfter(w.to())) {
                throw BackupLog.outside(restoreTime, w.from(), w.to());
            }
        } else {
            job = restorer.jobOf(instanceId, backupIds);
        }
        if (i.status() != InstanceStatus.Normal) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        backups.runningJob(instanceId).ifPresent(running -> {
            throw new ServiceError(403, "OperationDenied.BackupJobExists", "A backup job of instance " + instanceId
                    + " is running (BackupJobID " + running.jobId() + "); restore once it is done.");
        });
        StoredInstance recovering = instances.transition(instanceId, InstanceStatus.BackupRecovering, InstanceStatus.Normal);
        RestoreJournal.Entry entry = journal.begin(instanceId, RestoreJournal.RESTORE, instanceId,
                job == null ? null : job.jobId(), restoreTime, clock.now());
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> run(recovering, entry), workers);
        if (wait) {
            try {
                work.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new ServiceError(503, "InternalError", "The restore of " + instanceId + " is not done after "
                        + WAIT_SECONDS + " s.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceError(503, "InternalError", "interrupted");
            }
        }
        return instances.require(instanceId);
    }

    private void run(StoredInstance i, RestoreJournal.Entry entry) {
        List<String> prepared;
        try {
            prepared = restorer.prepare(i, entry);
        } catch (IOException | RuntimeException e) {
            restorer.abandon(i.instanceId(), entry, message(e));
            instances.setStatus(i.instanceId(), InstanceStatus.Normal);
            return;
        }
        try {
            lifecycle.reloadData(i.instanceId(), () -> restorer.swap(i, entry, prepared));
        } catch (RuntimeException e) {
            restorer.failedSwap(i.instanceId(), entry, message(e));
            throw e;
        }
        restorer.dropLoadedDumps(i);
        restorer.restored(i.instanceId(), entry, null);
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
