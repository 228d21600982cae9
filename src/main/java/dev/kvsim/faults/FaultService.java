package dev.kvsim.faults;

import dev.kvsim.engine.NodeManager;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultScope;
import dev.kvsim.faults.model.FaultSpec;
import dev.kvsim.faults.model.FaultTarget;
import dev.kvsim.faults.model.NodeControl;
import dev.kvsim.faults.model.ProxyFaults;
import dev.kvsim.faults.network.NetworkFault;
import dev.kvsim.faults.node.InstanceNodeControl;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.lifecycle.RunningInstance;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults of every instance: validated from the API, started at {@code startAt}, ended after
 * {@code durationMs}, on delete or on reset; each start and end is an event of its instance.
 */
@ApplicationScoped
public class FaultService {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom IDS = new SecureRandom();
    /** How far a fault's schedule reaches: a year, as far as kvsim's clock moves in one step. */
    private static final Duration MAX_SPAN = Duration.ofDays(366);

    private final InstanceStore store;
    private final InstanceProvisioner provisioner;
    private final NodeManager nodes;
    private final EventStore events;
    private final KvsimClock clock;
    private final Optional<Long> globalSeed;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Entry> faults = new ConcurrentHashMap<>();

    /** One fault and its lifecycle. */
    private static final class Entry {
        final Fault fault;
        final FaultScope scope;
        volatile boolean slaExcluded;
        volatile FaultStatus status = FaultStatus.Scheduled;
        volatile Instant startedAt;
        volatile Instant endedAt;
        volatile String endReason;
        volatile KvsimClock.Timer timer;

        Entry(Fault fault, FaultScope scope) {
            this.fault = fault;
            this.scope = scope;
        }
    }

    private record Scope(ProxyFaults proxy, NodeControl nodes) implements FaultScope {
    }

    public FaultService(InstanceStore store, InstanceProvisioner provisioner, NodeManager nodes, EventStore events,
                        KvsimClock clock, @ConfigProperty(name = "kvsim.faults.seed") Optional<Long> globalSeed) {
        this.store = store;
        this.provisioner = provisioner;
        this.nodes = nodes;
        this.events = events;
        this.clock = clock;
        this.globalSeed = globalSeed;
    }

    public FaultView create(String instanceId, FaultRequest req) {
        StoredInstance i = store.require(instanceId);
        RunningInstance r = provisioner.running(instanceId).filter(x -> !x.shards().isEmpty()).orElseThrow(() ->
                new ServiceError(409, "IncorrectDBInstanceState", "Instance " + instanceId + " is not running; faults need its nodes."));
        if (req == null || req.type() == null || req.type().isBlank()) {
            throw new ServiceError(400, "MissingParameter", "type is required; admin-api.md lists the fault types.");
        }
        FaultSpec spec = validate(i, r, req);
        Fault fault;
        try {
            fault = FaultTypes.create(spec);
        } catch (IllegalArgumentException e) {
            throw ServiceError.invalid(e.getMessage());
        }
        checkNodeTarget(fault, r);
        Entry e = new Entry(fault, new Scope(r.proxy().faults(), new InstanceNodeControl(r, nodes)));
        e.slaExcluded = Boolean.TRUE.equals(req.slaExcluded());
        faults.put(spec.faultId(), e);
        if (spec.startAt() == null || !spec.startAt().isAfter(clock.now())) {
            start(e);  // at once, so that the answer already shows it Active (or failed)
        } else {
            e.timer = clock.schedule(spec.startAt(), () -> start(e));
        }
        return view(e);
    }

    public List<FaultView> of(String instanceId) {
        store.require(instanceId);
        return faults.values().stream().filter(e -> e.fault.spec().instanceId().equals(instanceId)).map(this::view)
                .sorted(Comparator.comparing(FaultView::faultId)).toList();
    }

    public List<FaultView> all() {
        return faults.values().stream().map(this::view).sorted(Comparator.comparing(FaultView::faultId)).toList();
    }

    public FaultView get(String faultId) {
        return view(require(faultId));
    }

    /** Ends the fault if it acts and forgets it. */
    public void delete(String faultId) {
        Entry e = require(faultId);
        end(e, "deleted");
        faults.remove(faultId);
    }

    /** {@code POST /api/v1/faults/reset}: every fault ends and is forgotten; every paused node runs again. */
    public int reset() {
        List<Entry> all = new ArrayList<>(faults.values());
        all.forEach(e -> end(e, "reset"));
        all.forEach(e -> faults.remove(e.fault.spec().faultId()));
        for (String id : provisioner.runningIds()) {
            provisioner.running(id).ifPresent(r -> r.nodes().stream().filter(NodeProcess::isPaused).forEach(NodeProcess::resume));
        }
        return all.size();
    }

    private void start(Entry e) {
        FaultSpec s = e.fault.spec();
        synchronized (e) {
            if (e.status != FaultStatus.Scheduled) {
                return;
            }
            try {
                e.fault.start(e.scope);
            } catch (RuntimeException ex) {
                e.status = FaultStatus.Ended;
                e.endedAt = clock.now();
                e.endReason = "failed to start: " + ex.getMessage();
                Log.warnf("fault %s could not start: %s", s.faultId(), ex.getMessage());
                events.record(s.instanceId(), Event.FAULT_ENDED, details(e, e.endReason));
                return;
            }
            e.status = FaultStatus.Active;
            e.startedAt = clock.now();
        }
        events.record(s.instanceId(), Event.FAULT_STARTED, details(e, null));
        if (e.fault.instantaneous()) {
            end(e, "done");
        } else if (s.durationMs() != null) {
            e.timer = clock.after(Duration.ofMillis(s.durationMs()), () -> end(e, "duration elapsed"));
        }
    }

    private void end(Entry e, String reason) {
        FaultSpec s = e.fault.spec();
        boolean wasActive;
        synchronized (e) {
            if (e.status == FaultStatus.Ended) {
                return;
            }
            wasActive = e.status == FaultStatus.Active;
            KvsimClock.Timer t = e.timer;
            if (t != null) {
                t.cancel();
            }
            e.status = FaultStatus.Ended;
            e.endedAt = clock.now();
            e.endReason = reason;
            if (wasActive) {
                try {
                    e.fault.stop(e.scope);
                } catch (RuntimeException ex) {
                    Log.warnf("fault %s: undoing it failed: %s", s.faultId(), ex.getMessage());
                }
            }
        }
        if (wasActive) {
            events.record(s.instanceId(), Event.FAULT_ENDED, details(e, reason));
        }
    }

    private FaultSpec validate(StoredInstance i, RunningInstance r, FaultRequest req) {
        FaultTarget t = req.target() == null ? FaultTarget.INSTANCE : req.target();
        int shards = r.shards().size();
        if (t.shard() != null && (t.shard() < 0 || t.shard() >= shards)) {
            throw ServiceError.invalid("target.shard must be between 0 and " + (shards - 1) + "; got " + t.shard() + ".");
        }
        if (t.node() != null && !t.node().equals(FaultTarget.MASTER) && !t.node().equals(FaultTarget.REPLICA)) {
            throw ServiceError.invalid("target.node must be master or replica; got '" + t.node() + "'.");
        }
        int proxies = r.proxy().routing().proxies();
        if (t.proxy() != null && (t.proxy() < 0 || t.proxy() >= proxies)) {
            throw ServiceError.invalid("target.proxy must be between 0 and " + (proxies - 1) + " (the instance has "
                    + proxies + " proxies); got " + t.proxy() + ".");
        }
        if (t.proxy() != null && (t.shard() != null || t.node() != null)) {
            throw ServiceError.invalid("target names either a proxy or a shard and node, not both.");
        }
        String stream = req.stream() == null ? FaultSpec.DOWNSTREAM : req.stream();
        if (!stream.equals(FaultSpec.UPSTREAM) && !stream.equals(FaultSpec.DOWNSTREAM)) {
            throw ServiceError.invalid("stream must be upstream or downstream; got '" + stream + "'.");
        }
        double toxicity = req.toxicity() == null ? 1.0 : req.toxicity();
        if (!(toxicity >= 0 && toxicity <= 1)) {
            throw ServiceError.invalid("toxicity must be between 0.0 and 1.0; got " + req.toxicity() + ".");
        }
        if (req.durationMs() != null && (req.durationMs() < 0 || req.durationMs() > MAX_SPAN.toMillis())) {
            throw ServiceError.invalid("durationMs must be between 0 and " + MAX_SPAN.toMillis() + " (a year); got "
                    + req.durationMs() + ".");
        }
        Instant now = clock.now();
        if (req.startAt() != null && (req.startAt().isBefore(now.minus(MAX_SPAN)) || req.startAt().isAfter(now.plus(MAX_SPAN)))) {
            throw ServiceError.invalid("startAt must be within a year of kvsim's clock (now " + now + "); got "
                    + req.startAt() + ".");
        }
        long seed = req.seed() != null ? req.seed()
                : globalSeed.map(g -> g * 31 + sequence.incrementAndGet()).orElseGet(IDS::nextLong);
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (req.attributes() != null) {
            req.attributes().forEach((name, value) -> {
                if (value == null) {
                    throw ServiceError.invalid("attributes." + name + " is null; leave it out to use its default.");
                }
                attributes.put(name, value);
            });
        }
        return new FaultSpec(newFaultId(), i.instanceId(), req.type(), t, stream, toxicity,
                java.util.Collections.unmodifiableMap(attributes), req.match(), req.startAt(), req.durationMs(), seed);
    }

    /** Faults on a replica need one; network faults cannot reach a replica (the proxy never talks to it). */
    private static void checkNodeTarget(Fault fault, RunningInstance r) {
        FaultTarget t = fault.spec().target();
        if (!t.namesReplica()) {
            return;
        }
        if (fault instanceof NetworkFault) {
            throw ServiceError.invalid("network faults act on the proxy's links; the proxy has no link to a replica."
                    + " Target the instance, a proxy, or a shard's master.");
        }
        if (r.shard(t.shardOrZero()).replica() == null) {
            throw ServiceError.invalid("shard " + t.shardOrZero() + " has no replica: the instance is single-replica.");
        }
    }

    private Entry require(String faultId) {
        Entry e = faults.get(faultId);
        if (e == null) {
            throw new ServiceError(404, "InvalidFaultId.NotFound", "The specified fault does not exist: " + faultId + ".");
        }
        return e;
    }

    private FaultView view(Entry e) {
        FaultSpec s = e.fault.spec();
        return new FaultView(s.faultId(), s.instanceId(), s.type(), s.target(), s.stream(), s.toxicity(), s.attributes(),
                s.match(), s.startAt(), s.durationMs(), s.seed(), e.status, e.startedAt, e.endedAt, e.endReason,
                e.slaExcluded);
    }

    private static Map<String, Object> details(Entry e, String endReason) {
        FaultSpec s = e.fault.spec();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("faultId", s.faultId());
        d.put("type", s.type());
        d.put("target", s.target());
        d.put("attributes", s.attributes());
        d.put("toxicity", s.toxicity());
        d.put("slaExcluded", e.slaExcluded);
        if (endReason != null) {
            d.put("reason", endReason);
        }
        return d;
    }

    private static String newFaultId() {
        StringBuilder b = new StringBuilder("f-");
        for (int k = 0; k < 16; k++) {
            b.append(ALPHABET.charAt(IDS.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** A deleted instance's faults end with it (before its nodes stop). */
    void onInstanceDeleted(@Observes InstanceDeleted event) {
        new ArrayList<>(faults.values()).stream().filter(e -> e.fault.spec().instanceId().equals(event.instanceId()))
                .forEach(e -> {
                    end(e, "instance deleted");
                    faults.remove(e.fault.spec().faultId());
                });
    }

    /** Faults end with kvsim: paused nodes run again so that they stop cleanly. */
    void onStop(@Observes ShutdownEvent event) {
        new ArrayList<>(faults.values()).forEach(e -> end(e, "kvsim stopped"));
    }
}
