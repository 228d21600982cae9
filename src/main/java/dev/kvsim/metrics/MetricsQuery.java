package dev.kvsim.metrics;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads an instance's history for both APIs: the keys asked for, over a range of kvsim's clock, in intervals of whole
 * seconds (from the last hour's seconds) or whole minutes (from the stored minutes). Each interval's value is the
 * average of its samples ({@code maxRt}: their maximum). Refuses what it cannot answer with 400, naming the problem.
 */
@ApplicationScoped
public class MetricsQuery {

    /** The most points (intervals) one query answers. */
    public static final int MAX_POINTS = 10_000;
    /** How far back the second-level history reaches. */
    public static final Duration SECOND_HISTORY = Duration.ofSeconds(SecondRing.CAPACITY);
    /** Intervals tried, shortest first, when the caller names none and the range is older than the last hour. */
    private static final long[] MINUTE_INTERVALS = {60, 300, 900, 3600, 21_600, 86_400};

    private final MetricsHistory history;
    private final MinuteStore minutes;
    private final InstanceStore instances;
    private final KvsimClock clock;
    private final MetricsSampler sampler;

    public MetricsQuery(MetricsHistory history, MinuteStore minutes, InstanceStore instances, KvsimClock clock,
                        MetricsSampler sampler) {
        this.history = history;
        this.minutes = minutes;
        this.instances = instances;
        this.clock = clock;
        this.sampler = sampler;
    }

    /**
     * @param keys     service names of keys; empty: every key of the scope's level
     * @param from     null: {@code to} minus 5 minutes
     * @param to       null: now (kvsim's clock)
     * @param interval null: 1 s within the last hour, else the shortest of 1 min, 5 min, 15 min, 1 h, 6 h, 1 day
     *                 that stays within {@link #MAX_POINTS}
     * @param nodeId   a node's series (null: the instance's, or the shard's)
     * @param shard    a shard's series (null: the instance's, or the node's)
     */
    public MetricsResult query(String instanceId, List<String> keys, Instant from, Instant to, Duration interval,
                               String nodeId, Integer shard) {
        StoredInstance instance = instances.require(instanceId);
        requireEnabled();
        MetricScope scope = scope(instance, nodeId, shard);
        List<MetricKey> wanted = keys(keys, scope.level());
        Instant now = clock.now();
        Instant end = to == null ? now : to;
        Instant start = from == null ? end.minus(Duration.ofMinutes(5)) : from;
        if (!start.isBefore(end)) {
            throw ServiceError.invalid("The start of the range (" + start + ") must be before its end (" + end + ").");
        }
        Instant secondsSince = now.minus(SECOND_HISTORY);
        long step = interval == null ? defaultInterval(start, end, secondsSince) : checkInterval(interval, start, secondsSince);
        long first = Math.floorDiv(start.getEpochSecond(), step) * step;
        long last = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        long points = (last - first + step - 1) / step;
        if (points > MAX_POINTS) {
            throw ServiceError.invalid("The range " + start + " to " + end + " in intervals of " + step + " s makes " + points
                    + " points; at most " + MAX_POINTS + ": shorten the range or lengthen the interval.");
        }
        Buckets buckets = new Buckets(wanted, first, step, (int) points);
        boolean seconds = step < 60;
        if (seconds) {
            history.series(instanceId, scope).ifPresent(s -> s.seconds(first, last, (stamp, values) ->
                    buckets.add(stamp, 1, k -> values.value(s.slot(k)))));
        } else {
            for (MinuteRow row : minutes.range(instanceId, scope, Math.floorDiv(first, 60), Math.floorDiv(last + 59, 60))) {
                buckets.add(row.minute() * 60, Math.max(1, row.samples()),
                        k -> row.values().containsKey(k) ? row.values().get(k).floatValue() : Float.NaN);
            }
        }
        Map<String, String> units = new LinkedHashMap<>();
        wanted.forEach(k -> units.put(k.serviceName(), k.unit()));
        return new MetricsResult(instanceId, scope.level().name().toLowerCase(java.util.Locale.ROOT),
                scope.level() == MetricScope.Level.INSTANCE ? null : scope.shard(), scope.nodeId(), start, end, step,
                seconds ? "second" : "minute", units, buckets.times(), buckets.values());
    }

    /** The latest second of every instance's own series (instances not sampled yet are left out). */
    public Map<String, Latest> latest(List<String> keys) {
        requireEnabled();
        List<MetricKey> wanted = keys(keys, MetricScope.Level.INSTANCE);
        Map<String, Latest> out = new LinkedHashMap<>();
        for (StoredInstance i : instances.all()) {
            history.series(i.instanceId(), MetricScope.INSTANCE).ifPresent(s -> {
                long stamp = s.latestStamp();
                if (stamp == Long.MIN_VALUE) {
                    return;
                }
                Map<String, Double> values = new LinkedHashMap<>();
                wanted.forEach(k -> {
                    double v = s.latest(k, Long.MAX_VALUE);
                    values.put(k.serviceName(), Double.isNaN(v) ? null : v);
                });
                out.put(i.instanceId(), new Latest(Instant.ofEpochSecond(stamp), values));
            });
        }
        return out;
    }

    /** An instance's latest second. */
    public record Latest(Instant at, Map<String, Double> values) {
    }

    private void requireEnabled() {
        if (!sampler.enabled()) {
            throw new ServiceError(409, "MonitoringDisabled", "Monitoring is off: kvsim runs with kvsim.metrics.enabled=false.");
        }
    }

    private static MetricScope scope(StoredInstance i, String nodeId, Integer shard) {
        if (nodeId != null && shard != null) {
            throw ServiceError.invalid("Name a node or a shard, not both: a node's series is its own.");
        }
        if (nodeId != null) {
            return i.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst()
                    .map(n -> MetricScope.node(n.shard(), n.nodeId()))
                    .orElseThrow(() -> ServiceError.invalid("The instance " + i.instanceId() + " has no node '" + nodeId
                            + "'; its nodes are " + i.nodes().stream().map(StoredNode::nodeId).collect(Collectors.joining(", ")) + "."));
        }
        if (shard != null) {
            if (shard < 0 || shard >= i.shardCount()) {
                throw ServiceError.invalid("shard must be between 0 and " + (i.shardCount() - 1) + " (the instance has "
                        + i.shardCount() + " shard(s)); got " + shard + ".");
            }
            return MetricScope.shard(shard);
        }
        return MetricScope.INSTANCE;
    }

    /** Resolves key names; unknown ones and ones the level does not have are refused, all of them named. */
    public static List<MetricKey> keys(List<String> names, MetricScope.Level level) {
        if (names == null || names.isEmpty()) {
            return MetricKey.of(level);
        }
        List<MetricKey> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> notHere = new ArrayList<>();
        for (String name : names) {
            Optional<MetricKey> k = MetricKey.byName(name);
            if (k.isEmpty()) {
                unknown.add(name);
            } else if (!k.get().appliesTo(level)) {
                notHere.add(k.get().serviceName());
            } else if (!out.contains(k.get())) {
                out.add(k.get());
            }
        }
        if (!unknown.isEmpty()) {
            throw ServiceError.invalid("Unknown metric key(s) " + quoted(unknown) + "; the keys are "
                    + Arrays.stream(MetricKey.values()).map(MetricKey::serviceName).collect(Collectors.joining(", ")) + ".");
        }
        if (!notHere.isEmpty()) {
            throw ServiceError.invalid("The key(s) " + quoted(notHere) + " are measured for the whole instance only, not per "
                    + level.name().toLowerCase(java.util.Locale.ROOT) + "; a " + level.name().toLowerCase(java.util.Locale.ROOT)
                    + " has " + MetricKey.of(level).stream().map(MetricKey::serviceName).collect(Collectors.joining(", ")) + ".");
        }
        return out;
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static long defaultInterval(Instant start, Instant end, Instant secondsSince) {
        long range = Duration.between(start, end).toSeconds() + 1;
        if (!start.isBefore(secondsSince)) {
            return 1;
        }
        for (long step : MINUTE_INTERVALS) {
            if (range / step + 1 <= MAX_POINTS) {
                return step;
            }
        }
        return MINUTE_INTERVALS[MINUTE_INTERVALS.length - 1];
    }

    private static long checkInterval(Duration interval, Instant start, Instant secondsSince) {
        long s = interval.toSeconds();
        if (interval.toNanos() % 1_000_000_000L != 0 || s < 1) {
            throw ServiceError.invalid("The interval must be a whole number of seconds, at least 1 s; got " + interval + ".");
        }
        if (s < 60 && start.isBefore(secondsSince)) {
            throw ServiceError.invalid("Second-level history covers the last hour (from " + secondsSince
                    + "); for an earlier start (" + start + ") ask for an interval of 1 minute or more.");
        }
        if (s >= 60 && s % 60 != 0) {
            throw ServiceError.invalid("An interval of a minute or more must be a whole number of minutes (it reads the "
                    + "minute-level history); got " + s + " s.");
        }
        return s;
    }

    /** The intervals being filled: per key a sum (or a maximum) and a weight. */
    private static final class Buckets {
        private final List<MetricKey> keys;
        private final long first;
        private final long step;
        private final int count;
        private final double[][] sum;
        private final double[][] weight;

        Buckets(List<MetricKey> keys, long first, long step, int count) {
            this.keys = keys;
            this.first = first;
            this.step = step;
            this.count = count;
            this.sum = new double[keys.size()][count];
            this.weight = new double[keys.size()][count];
        }

        void add(long stamp, double w, java.util.function.ToDoubleFunction<MetricKey> value) {
            long b = (stamp - first) / step;
            if (stamp < first || b >= count) {
                return;
            }
            for (int k = 0; k < keys.size(); k++) {
                double v = value.applyAsDouble(keys.get(k));
                if (Double.isNaN(v)) {
                    continue;
                }
                int i = (int) b;
                if (keys.get(k).aggregation() == MetricKey.Aggregation.MAX) {
                    sum[k][i] = weight[k][i] == 0 ? v : Math.max(sum[k][i], v);
                    weight[k][i] = 1;
                } else {
                    sum[k][i] += v * w;
                    weight[k][i] += w;
                }
            }
        }

        List<Instant> times() {
            List<Instant> t = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                t.add(Instant.ofEpochSecond(first + i * step));
            }
            return t;
        }

        Map<String, List<Double>> values() {
            Map<String, List<Double>> out = new LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) {
                List<Double> column = new ArrayList<>(count);
                MetricKey key = keys.get(k);
                for (int i = 0; i < count; i++) {
                    column.add(weight[k][i] == 0 ? null
                            : key.aggregation() == MetricKey.Aggregation.MAX ? sum[k][i] : sum[k][i] / weight[k][i]);
                }
                out.put(key.serviceName(), column);
            }
            return out;
        }
    }
}
