package dev.kvsim.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The latest second of every series as Micrometer gauges, which Prometheus scrapes at {@code /q/metrics}: one gauge
 * per key and series, labelled {@code instance}, {@code shard}, {@code node} and {@code role} (empty where they do
 * not apply: an instance's own series has no shard or node). A node's gauges are labelled anew when its role changes.
 */
@ApplicationScoped
public class PrometheusGauges {

    /** A series not sampled for this long shows no value rather than its last one. */
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MeterRegistry registry;
    private final Map<String, Map<MetricScope, Registered>> registered = new ConcurrentHashMap<>();

    private record Registered(String role, List<Meter> meters) {
    }

    public PrometheusGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges for every series of the instance (new ones registered, a node's re-labelled when its role changed). */
    void sync(String instanceId, Collection<Series> series) {
        Map<MetricScope, Registered> mine = registered.computeIfAbsent(instanceId, id -> new ConcurrentHashMap<>());
        for (Series s : series) {
            String role = s.role();
            Registered r = mine.get(s.scope());
            if (r != null && Objects.equals(r.role(), role)) {
                continue;
            }
            if (r != null) {
                r.meters().forEach(registry::remove);
            }
            mine.put(s.scope(), new Registered(role, register(instanceId, s, role)));
        }
    }

    private List<Meter> register(String instanceId, Series s, String role) {
        MetricScope scope = s.scope();
        Tags tags = Tags.of("instance", instanceId,
                "shard", scope.level() == MetricScope.Level.INSTANCE ? "" : Integer.toString(scope.shard()),
                "node", scope.nodeId() == null ? "" : scope.nodeId(),
                "role", role == null ? "" : role);
        List<Meter> meters = new ArrayList<>();
        for (MetricKey key : s.keys()) {
            meters.add(Gauge.builder(key.meterName(), s, x -> x.latest(key, STALE_NANOS))
                    .description(key.description() + " (" + key.unit() + ")")
                    .tags(tags)
                    .strongReference(true)
                    .register(registry));
        }
        return meters;
    }

    /** The instance is gone: so are its gauges. */
    void remove(String instanceId) {
        Map<MetricScope, Registered> mine = registered.remove(instanceId);
        if (mine != null) {
            mine.values().forEach(r -> r.meters().forEach(registry::remove));
        }
    }
}
