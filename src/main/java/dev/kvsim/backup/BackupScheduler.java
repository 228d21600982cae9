package dev.kvsim.backup;

import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The hours of kvsim's clock: at every full hour, the instances whose backup window opens then get their automatic
 * backup, and what the retention no longer keeps goes (backups, the backup log's old files, what a released
 * instance left). Moving the clock forward works the hours passed together: an instance whose window opened in
 * them gets one backup (as the service makes one a window), and the retention is applied once, at the last hour.
 */
@ApplicationScoped
public class BackupScheduler {

    private final KvsimClock clock;
    private final InstanceStore instances;
    private final BackupPolicyStore policies;
    private final BackupService backups;
    private final BackupStore backupStore;
    private final BackupLog log;
    private final PointInTimeSource pointInTime;
    private final BackupFiles files;
    private final EventStore events;
    /** The hours' work, one after the other, off the clock's own thread. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("kvsim-backup-hour"));
    private volatile KvsimClock.Timer next;
    /** The last full hour the clock reached, and the last one worked (only the worker's thread touches it). */
    private volatile Instant reached;
    private Instant worked;
    private final AtomicBoolean queued = new AtomicBoolean();

    public BackupScheduler(KvsimClock clock, InstanceStore instances, BackupPolicyStore policies, BackupService backups,
                           BackupStore backupStore, BackupLog log, PointInTimeSource pointInTime, BackupFiles files,
                           EventStore events) {
        this.clock = clock;
        this.instances = instances;
        this.policies = policies;
        this.backups = backups;
        this.backupStore = backupStore;
        this.log = log;
        this.pointInTime = pointInTime;
        this.files = files;
        this.events = events;
    }

    /** After the restart recovery (priority 3000) has settled what a stopped kvsim left. */
    void onStart(@Observes @Priority(3100) StartupEvent event) {
        arm(clock.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
    }

    void onStop(@Observes ShutdownEvent event) {
        KvsimClock.Timer t = next;
        if (t != null) {
            t.cancel();
        }
        worker.shutdownNow();
    }

    private void arm(Instant hour) {
        next = clock.schedule(hour, () -> {
            // The hour from the clock, not the one armed: a reset for tests moves waiting timers back in time.
            Instant now = clock.now().truncatedTo(ChronoUnit.HOURS);
            arm(now.plus(1, ChronoUnit.HOURS));
            reached = now;
            // A jump of the clock fires one timer an hour passed: the worker takes them together, not one by one.
            if (queued.compareAndSet(false, true)) {
                worker.execute(this::catchUp);
            }
        });
    }

    private void catchUp() {
        queued.set(false);
        Instant to = reached;
        if (to.equals(worked)) {
            return;
        }
        // From the hour after the last one worked; after the clock moved back, from where it is now.
        Instant from = worked == null || to.isBefore(worked) ? to : worked.plus(1, ChronoUnit.HOURS);
        hours(from, to);
        worked = to;
    }

    /** Everything due in these hours of kvsim's time, {@code from} to {@code to} included. */
    void hours(Instant from, Instant to) {
        try {
            for (StoredInstance i : instances.all()) {
                BackupPolicy p = policies.of(i.instanceId());
                for (Instant h = from; !h.isAfter(to); h = h.plus(1, ChronoUnit.HOURS)) {
                    if (p.opensAt(h.atZone(ZoneOffset.UTC))) {
                        automatic(i);
                        break;
                    }
                }
            }
            backups.pruneExpired(to);
            pointInTime.prune(to);
            log.renewGenerations(to);
            forgetReleased();
        } catch (RuntimeException e) {
            Log.warnf(e, "backups due from %s to %s", from, to);
        }
    }

    private void automatic(StoredInstance i) {
        if (i.status() != InstanceStatus.Normal) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mode", Backup.AUTOMATED);
            d.put("reason", "the instance was " + i.status() + " when its backup window opened");
            events.record(i.instanceId(), Event.BACKUP_FAILED, d);
            return;
        }
        try {
            backups.create(i.instanceId(), Backup.AUTOMATED, null, false);
        } catch (ServiceError e) {
            // a job of it still runs (a jump of the clock passes several windows at once): one backup is enough
            Log.debugf("instance %s: no automatic backup: %s", i.instanceId(), e.getMessage());
        }
    }

    /** A released instance whose last backup and log files are gone leaves nothing behind: its policy goes too. */
    private void forgetReleased() {
        Set<String> ids = new HashSet<>(policies.stored());
        if (Files.isDirectory(files.root())) {
            try (Stream<Path> dirs = Files.list(files.root())) {
                dirs.forEach(d -> ids.add(d.getFileName().toString()));
            } catch (IOException e) {
                Log.warnf("cannot list %s: %s", files.root(), e.getMessage());
            }
        }
        for (String id : ids) {
            if (instances.find(id).isEmpty() && !backupStore.hasJobs(id) && !pointInTime.hasLog(id)) {
                policies.delete(id);
                BackupFiles.delete(files.instanceDir(id));
            }
        }
    }
}
