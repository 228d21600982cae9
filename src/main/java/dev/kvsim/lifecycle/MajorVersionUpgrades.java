package dev.kvsim.lifecycle;

import dev.kvsim.commands.MajorVersion;
import dev.kvsim.core.DaemonThreads;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.MaintenanceWindows;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ModifyInstanceMajorVersion: an instance moves to a newer engine major version, never an older one, at once
 * ({@code Immediately}: status MajorVersionUpgrading, then Normal) or in its maintenance window on kvsim's clock
 * ({@code MaintainTime}). The data stays; clients are disconnected once ({@link InstanceCutover}) and find the
 * new version's commands when they reconnect.
 */
@ApplicationScoped
public class MajorVersionUpgrades {

    public static final String IMMEDIATELY = "Immediately";
    public static final String MAINTAIN_TIME = "MaintainTime";
    private static final long WAIT_SECONDS = 30;

    /** What a request did: upgraded now (status MajorVersionUpgrading until done) or scheduled for {@code executeAt}. */
    public record Upgrade(String status, String majorVersion, Instant executeAt) {
    }

    private final InstanceStore store;
    private final MajorVersions versions;
    private final InstanceCutover cutover;
    private final EventStore events;
    private final KvsimClock clock;
    private final MaintenanceWindows windows;
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-upgrade"));
    /** Upgrades waiting for their maintenance window; one per instance, the newer request replacing the older. */
    private final Map<String, Pending> scheduled = new ConcurrentHashMap<>();

    /** An upgrade waiting for the window. */
    private static final class Pending {
        volatile KvsimClock.Timer timer;
    }

    public MajorVersionUpgrades(InstanceStore store, MajorVersions versions, InstanceCutover cutover, EventStore events,
                                KvsimClock clock, MaintenanceWindows windows) {
        this.store = store;
        this.versions = versions;
        this.cutover = cutover;
        this.events = events;
        this.clock = clock;
        this.windows = windows;
    }

    /**
     * @param effectiveTime {@link #IMMEDIATELY} (the default) or {@link #MAINTAIN_TIME}
     * @param wait          answer once an immediate upgrade is done
     * @throws ServiceError 404 for an unknown instance; 400 for a missing or unknown version, one newer than the
     *                      engine kvsim runs or not newer than the instance's ({@code IncorrectEngineVersion}); 409
     *                      when the instance is not Normal
     */
    public Upgrade request(String instanceId, String majorVersion, String effectiveTime, boolean wait) {
        StoredInstance i = store.require(instanceId);
        if (majorVersion == null || majorVersion.isBlank()) {
            throw new ServiceError(400, "MissingParameter", "majorVersion is required: the version to upgrade to, one of "
                    + String.join(", ", versions.offered()) + ".");
        }
        String when = effectiveTime == null ? IMMEDIATELY : effectiveTime;
        if (!List.of(IMMEDIATELY, MAINTAIN_TIME).contains(when)) {
            throw ServiceError.invalid("effectiveTime must be Immediately or MaintainTime; got '" + when + "'.");
        }
        MajorVersion to = versions.require(majorVersion);
        MajorVersion from = versions.of(i);
        if (to.compareTo(from) <= 0) {
            List<String> newer = versions.offered().stream().filter(v -> MajorVersion.of(v).orElseThrow().compareTo(from) > 0)
                    .toList();
            throw new ServiceError(400, "IncorrectEngineVersion", "Instance " + instanceId + " runs major version "
                    + from.label() + "; a major version can only be upgraded" + (newer.isEmpty()
                    ? ", and " + from.label() + " is the newest the engine kvsim runs serves."
                    : ": choose " + String.join(" or ", newer) + "."));
        }
        if (i.status() != InstanceStatus.Normal) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        if (when.equals(MAINTAIN_TIME)) {
            return schedule(instanceId, from, to);
        }
        store.transition(instanceId, InstanceStatus.MajorVersionUpgrading, InstanceStatus.Normal);
        Instant requestedAt = clock.now();
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> upgrade(instanceId, from, to, IMMEDIATELY,
                requestedAt), workers);
        if (wait) {
            await(work, instanceId);
        }
        return new Upgrade(store.require(instanceId).status().name(), to.label(), null);
    }

    private Upgrade schedule(String instanceId, MajorVersion from, MajorVersion to) {
        Instant at = windows.of(instanceId).nextOpening(clock.now());
        Pending pending = new Pending();
        Pending previous = scheduled.put(instanceId, pending);  // before the timer, which may run at once
        if (previous != null && previous.timer != null) {
            previous.timer.cancel();
        }
        pending.timer = clock.schedule(at, () -> {
            if (scheduled.remove(instanceId, pending)) {
                runScheduled(instanceId, to);
            }
        });
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.label());
        d.put("to", to.label());
        d.put("executeAt", at.toString());
        events.record(instanceId, Event.MAJOR_VERSION_UPGRADE_SCHEDULED, d);
        return new Upgrade("Scheduled", to.label(), at);
    }

    /** The window opened: the upgrade runs if the instance is still Normal and not already on that version or newer. */
    private void runScheduled(String instanceId, MajorVersion to) {
        Instant requestedAt = clock.now();
        try {
            StoredInstance i = store.require(instanceId);
            MajorVersion from = versions.of(i);
            if (to.compareTo(from) <= 0) {
                return;  // upgraded meanwhile
            }
            store.transition(instanceId, InstanceStatus.MajorVersionUpgrading, InstanceStatus.Normal);
            upgrade(instanceId, from, to, MAINTAIN_TIME, requestedAt);
        } catch (ServiceError e) {
            Log.warnf("instance %s: the major version upgrade in the maintenance window did not run: %s", instanceId,
                    e.getMessage());
            events.record(instanceId, Event.MAJOR_VERSION_UPGRADE_FAILED, Map.of("to", to.label(), "error", e.getMessage()));
        }
    }

    private void upgrade(String instanceId, MajorVersion from, MajorVersion to, String effectiveTime, Instant requestedAt) {
        try {
            InstanceCutover.Result r = cutover.switchOver(instanceId, () -> store.setMajorVersion(instanceId, to.label()));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("from", from.label());
            d.put("to", to.label());
            d.put("release", to.release());
            d.put("effectiveTime", effectiveTime);
            d.put("requestedAt", requestedAt.toString());
            d.put("doneAt", clock.now().toString());
            d.put("droppedConnections", r.droppedConnections());
            d.put("switchMs", Math.round(r.switchMs() * 100) / 100.0);
            events.record(instanceId, Event.MAJOR_VERSION_UPGRADED, d);
            Log.infof("instance %s now runs as %s (%s); %d client connection(s) dropped", instanceId, to.label(),
                    to.release(), r.droppedConnections());
        } catch (RuntimeException e) {
            Log.errorf("instance %s: the major version upgrade to %s failed: %s", instanceId, to.label(), e.getMessage());
            events.record(instanceId, Event.MAJOR_VERSION_UPGRADE_FAILED, Map.of("to", to.label(),
                    "error", String.valueOf(e.getMessage())));
            throw e;
        } finally {
            store.setStatus(instanceId, InstanceStatus.Normal);
        }
    }

    private static void await(CompletableFuture<Void> work, String instanceId) {
        try {
            work.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ServiceError(500, "InternalError", "Instance " + instanceId + " could not be upgraded: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ServiceError(503, "InternalError", "Instance " + instanceId + " is still upgrading after "
                    + WAIT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceError(503, "InternalError", "interrupted");
        }
    }

    /** A deleted instance's scheduled upgrade is dropped with it. */
    void onInstanceDeleted(@Observes InstanceDeleted event) {
        Pending p = scheduled.remove(event.instanceId());
        if (p != null && p.timer != null) {
            p.timer.cancel();
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
        scheduled.values().stream().filter(p -> p.timer != null).forEach(p -> p.timer.cancel());
    }
}
