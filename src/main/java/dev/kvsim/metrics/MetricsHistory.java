package dev.kvsim.metrics;

import dev.kvsim.core.DaemonThreads;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Every instance's series: in memory the last hour of seconds (bounded, see {@link #bytesPerSeriesAtMost}), and
 * each finished minute handed to the {@link MinuteStore} off the sampler's thread. Minutes older than the
 * retention are dropped from the store once an hour of kvsim's clock.
 */
@ApplicationScoped
public class MetricsHistory {

    /** The minute-level history's length: 30 days. */
    public static final long RETENTION_MINUTES = 30L * 24 * 60;

    private final MinuteStore store;
    private final Map<String, Map<MetricScope, Series>> instances = new ConcurrentHashMap<>();
    /** Stores minutes and drops old ones one after the other, so that a slow disk never delays sampling. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(DaemonThreads.named("kvsim-metrics-store"));
    private volatile long lastPurgeMinute = Long.MIN_VALUE;

    public MetricsHistory(MinuteStore store) {
        this.store = store;
    }

    /** The most a series holds in memory: an hour of seconds, each a stamp and a float per key. */
    public static long bytesPerSeriesAtMost(MetricScope.Level level) {
        return SecondRing.CAPACITY * (8L + 4L * MetricKey.of(level).size());
    }

    /** Records one second of a series (created on its first sample). */
    void record(String instanceId, MetricScope scope, long stamp, float[] values, String role) {
        Series s = instances.computeIfAbsent(instanceId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(scope, sc -> new Series(instanceId, sc));
        MinuteRow closed = s.add(stamp, values, role);
        if (closed != null) {
            store(List.of(closed));
        }
    }

    /**
     * Called every sampling tick: the minutes kvsim's clock has passed leave for the store, also of series no longer
     * sampled (a node that went away); once an hour of kvsim's clock, minutes past the retention are dropped.
     */
    void closeMinutesBefore(long currentMinute) {
        List<MinuteRow> closed = new ArrayList<>();
        instances.values().forEach(series -> series.values().forEach(s -> {
            MinuteRow row = s.closeIfBefore(currentMinute);
            if (row != null) {
                closed.add(row);
            }
        }));
        if (!closed.isEmpty()) {
            store(closed);
        }
        if (currentMinute - lastPurgeMinute >= 60) {
            lastPurgeMinute = currentMinute;
            writer.execute(() -> {
                try {
                    store.deleteBefore(currentMinute - RETENTION_MINUTES);
                } catch (RuntimeException e) {
                    Log.warnf("monitoring: could not drop old minutes: %s", e.toString());
                }
            });
        }
    }

    private void store(List<MinuteRow> rows) {
        writer.execute(() -> {
            try {
                store.save(rows);
            } catch (RuntimeException e) {
                Log.warnf("monitoring: could not store %d minute(s): %s", rows.size(), e.toString());
            }
        });
    }

    Optional<Series> series(String instanceId, MetricScope scope) {
        return Optional.ofNullable(instances.getOrDefault(instanceId, Map.of()).get(scope));
    }

    /** The instance's series now (a node's appears with its first sample). */
    Collection<Series> seriesOf(String instanceId) {
        return List.copyOf(instances.getOrDefault(instanceId, Map.of()).values());
    }

    /** kvsim's clock went back: the seconds and the minutes in progress, now in its future, are dropped. */
    void clockWentBack() {
        instances.values().forEach(series -> series.values().forEach(Series::clear));
    }

    /** The instance is gone: its series and stored minutes too. */
    void forget(String instanceId) {
        instances.remove(instanceId);
        writer.execute(() -> store.deleteOf(instanceId));
    }

    /** Bytes the second-level history holds now, for every instance. */
    public long bytesInMemory() {
        return instances.values().stream().flatMap(m -> m.values().stream()).mapToLong(Series::bytes).sum();
    }

    /** Waits until every minute handed over so far is stored (tests, and kvsim's stop). */
    public void awaitStored() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("monitoring: the minute store did not catch up: %s", e.toString());
        }
    }

    /** kvsim stops (after the last sample): the minutes in progress are stored too, so that a restart keeps them. */
    void storeOpenMinutes() {
        List<MinuteRow> open = new ArrayList<>();
        instances.values().forEach(series -> series.values().forEach(s -> {
            MinuteRow row = s.closeNow();
            if (row != null) {
                open.add(row);
            }
        }));
        if (!open.isEmpty()) {
            store(open);
        }
        awaitStored();
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
