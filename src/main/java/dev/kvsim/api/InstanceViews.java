package dev.kvsim.api;

import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.engine.NodeProcess;
import dev.kvsim.ha.HealthMonitor;
import dev.kvsim.instance.InstanceLimits;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceProvisioner;
import dev.kvsim.lifecycle.MajorVersions;
import dev.kvsim.lifecycle.RunningInstance;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Builds the admin API's view of an instance: its stored record with its nodes' live state. */
@ApplicationScoped
public class InstanceViews {

    private final MajorVersions versions;
    private final InstanceProvisioner provisioner;
    private final EngineLocator engines;
    private final Catalog catalog;
    private final HealthMonitor health;

    public InstanceViews(MajorVersions versions, InstanceProvisioner provisioner, EngineLocator engines,
                         Catalog catalog, HealthMonitor health) {
        this.versions = versions;
        this.provisioner = provisioner;
        this.engines = engines;
        this.catalog = catalog;
        this.health = health;
    }

    InstanceView of(StoredInstance i) {
        // A class removed from the catalog after the instance was made: show the instance anyway.
        Optional<InstanceClass> c = catalog.find(i.instanceClass());
        InstanceView.Limits limits = c.map(k -> InstanceLimits.of(k, i.overrides()))
                .map(l -> new InstanceView.Limits(l.memoryMb(), l.maxConnections(), l.bandwidthMBps(), l.qps()))
                .orElse(null);
        Optional<RunningInstance> running = provisioner.running(i.instanceId());
        List<InstanceView.Node> nodes = i.nodes().stream().map(n -> {
            Optional<NodeProcess> p = running.flatMap(r -> r.node(n.nodeId()));
            return new InstanceView.Node(n.nodeId(), n.role(), n.shard(), n.port(),
                    p.map(NodeProcess::pid).orElse(null),
                    p.map(np -> !np.isAlive() ? "down" : np.isPaused() ? "paused" : "up").orElse("stopped"),
                    p.map(health::lastOffset).filter(o -> o >= 0).orElse(null));
        }).toList();
        return new InstanceView(i.instanceId(), i.name(), i.instanceClass(),
                c.map(InstanceClass::architecture).orElse(null), c.map(InstanceClass::nodeType).orElse(null),
                i.status().name(), "127.0.0.1", i.port(), i.vpcAuthMode(), engines.engine().version(),
                versions.of(i).label(),
                i.placement().regionId(), i.placement().zoneId(), i.tags(), i.releaseProtection(),
                limits, nodes, i.createdAt());
    }
}
