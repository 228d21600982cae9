package dev.kvsim.backup;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the backup log can restore: its window (from when the log started, or the retention's start, to now) and a
 * shard-by-shard source at any second of it; and its retention (older files go, each chain keeping the newest base
 * from before the window so that the window's first second can still be built).
 */
@ApplicationScoped
public class PointInTimeSource {

    private final BackupLog log;
    private final BackupLogStore store;
    private final BackupPolicyStore policies;
    private final BackupFiles files;
    private final InstanceStore instances;
    private final PointInTime builder;
    private final EngineLocator engines;
    private final KvsimClock clock;

    public PointInTimeSource(BackupLog log, BackupLogStore store, BackupPolicyStore policies, BackupFiles files,
                             InstanceStore instances, PointInTime builder, EngineLocator engines, KvsimClock clock) {
        this.log = log;
        this.store = store;
        this.policies = policies;
        this.files = files;
        this.instances = instances;
        this.builder = builder;
        this.engines = engines;
        this.clock = clock;
    }

    /** The window a point-in-time restore of the instance may pick from (kvsim's time). */
    public record Window(Instant from, Instant to) {
    }

    /**
     * @throws ServiceError 400 IncorrectEngineVersion on an engine without AOF timestamps, 400 when the instance's
     *                      backup log is off
     */
    public Window window(String instanceId) {
        checkEngine();
        BackupPolicy p = policies.of(instanceId);
        if (!p.backupLog() && store.chains(instanceId).isEmpty()) {
            throw ServiceError.invalid("A restore time needs the backup log (data flashback): instance " + instanceId
                    + " has EnableBackupLog=0 in its backup policy.");
        }
        Instant now = clock.now();
        Instant to = instances.find(instanceId).isPresent() ? now
                : store.chains(instanceId).stream().map(c -> Instant.ofEpochMilli(c.shippedMs() + log.offsetMs()))
                .max(Comparator.naturalOrder()).orElse(now);
        Instant start = now.minus(Duration.ofDays(p.retentionDays()));
        Instant from = p.logStart() == null ? null : (p.logStart().isAfter(start) ? p.logStart() : start);
        return new Window(from, to);
    }

    /** The class the instance had when its backup log last started a chain (a released instance's too). */
    String sourceClass(String instanceId) {
        List<BackupLogStore.Chain> chains = store.chains(instanceId);
        return chains.isEmpty() ? null : chains.get(chains.size() - 1).instanceClass();
    }

    /** The shards the instance had when its backup log last started a chain. */
    int sourceShards(String instanceId) {
        List<BackupLogStore.Chain> chains = store.chains(instanceId);
        return chains.isEmpty() ? 1 : chains.get(chains.size() - 1).shardCount();
    }

    /** Whether the instance (maybe released) has a backup log to restore from. */
    boolean hasLog(String instanceId) {
        return !store.chains(instanceId).isEmpty();
    }

    /** @throws ServiceError 400 IncorrectEngineVersion when the engine writes no timestamps into its AOF */
    public void checkEngine() {
        if (!engines.engine().supportsAofTimestamps()) {
            throw new ServiceError(400, "IncorrectEngineVersion", "Data flashback (EnableBackupLog, RestoreTime) needs "
                    + "timestamps in the engine's AOF, which Redis has from 7.0 on; kvsim runs redis-server "
                    + engines.engine().version() + " (" + engines.engine().path() + "). Set kvsim.engine.path to a 7.x "
                    + "redis-server to use it.");
        }
    }

    /**
     * The instance's data at the end of second {@code t}, one node directory per shard.
     *
     * @param outDirOf where to build each shard's node directory
     * @throws ServiceError 400 naming the restore time when it is outside the window or in a gap of the log
     */
    SourceData sourceAt(String instanceId, Instant t, IntFunction<Path> outDirOf) throws IOException {
        Window w = window(instanceId);
        if (w.from() == null || t.isBefore(w.from()) || t.isAfter(w.to())) {
            throw BackupLog.outside(t, w.from(), w.to());
        }
        instances.find(instanceId).ifPresent(log::ship);
        long second = Math.floorDiv(t.toEpochMilli() - log.offsetMs(), 1000);
        List<BackupLogStore.Chain> chains = store.chains(instanceId);
        BackupLogStore.Chain layout = chains.get(chains.size() - 1);
        List<SourceData.Shard> shards = new ArrayList<>();
        for (int shard = 0; shard < layout.shardCount(); shard++) {
            BackupLogStore.Chain best = null;
            BackupLogStore.Generation base = null;
            for (BackupLogStore.Chain c : chains) {
                if (c.shard() != shard) {
                    continue;
                }
                for (BackupLogStore.Generation g : store.generations(c.chainId())) {
                    if (Math.floorDiv(g.basedMs(), 1000) <= second && (base == null || g.basedMs() > base.basedMs())) {
                        base = g;
                        best = c;
                    }
                }
            }
            if (base == null || best.shippedMs() < second * 1000) {
                throw ServiceError.invalid("The restore time " + t + " is not covered by the backup log of shard "
                        + shard + (best == null ? "" : ": its log reaches " + Instant.ofEpochMilli(best.shippedMs()
                        + log.offsetMs()) + " and the next one starts later (a node was replaced)") + ".");
            }
            Path out = outDirOf.apply(shard);
            builder.build(files.logDir(instanceId, shard, best.chainId()), base, second, out);
            shards.add(new SourceData.Shard(shard, null, out));
        }
        return new SourceData(instanceId, layout.instanceClass(), layout.shardCount(), layout.slotMap(), shards);
    }

    /**
     * Drops what the retention no longer needs: per chain, the generations before the newest one from before the
     * window (and the files only they used); whole chains that ended before the window.
     */
    void prune(Instant now) {
        for (String id : store.instances()) {
            Instant cut = now.minus(Duration.ofDays(policies.of(id).retentionDays()));
            for (BackupLogStore.Chain c : store.chains(id)) {
                Path archive = files.logDir(id, c.shard(), c.chainId());
                if (c.ended() && Instant.ofEpochMilli(c.shippedMs() + log.offsetMs()).isBefore(cut)) {
                    store.deleteChain(c.chainId());
                    BackupFiles.delete(archive);
                    continue;
                }
                List<BackupLogStore.Generation> gens = store.generations(c.chainId());
                BackupLogStore.Generation anchor = gens.stream().filter(g -> !g.basedAt().isAfter(cut))
                        .reduce((a, b) -> b).orElse(null);
                if (anchor == null) {
                    continue;
                }
                for (BackupLogStore.Generation g : gens) {
                    if (g.basedMs() < anchor.basedMs()) {
                        store.deleteGeneration(g.id());
                        BackupFiles.delete(archive.resolve(g.baseFile()));
                    }
                }
                try {
                    for (Path incr : PointInTime.incrementals(archive, 0)) {
                        if (PointInTime.incrSeq(incr.getFileName().toString()) < anchor.firstIncrSeq()) {
                            BackupFiles.delete(incr);
                        }
                    }
                } catch (IOException e) {
                    Log.warnf("instance %s: backup log files not pruned: %s", id, e.getMessage());
                }
            }
        }
    }
}
