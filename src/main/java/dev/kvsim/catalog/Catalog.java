package dev.kvsim.catalog;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The instance classes kvsim offers, validated once at start. */
@ApplicationScoped
public class Catalog {

    private final Map<String, InstanceClass> classes;

    public Catalog(CatalogConfig config) {
        Map<String, InstanceClass> byName = new LinkedHashMap<>();
        for (CatalogConfig.ClassEntry e : config.classes()) {
            validate(e);
            InstanceClass c = new InstanceClass(e.name(), e.description(), e.architecture(), e.nodeType(),
                    e.memoryMb(), e.maxConnections(), e.bandwidthMbps(), e.qps(), e.shards(), e.proxies(),
                    e.monthlyFee().orElse(null));
            if (byName.putIfAbsent(c.name(), c) != null) {
                throw new IllegalStateException("catalog lists instance class " + c.name() + " twice");
            }
        }
        this.classes = Collections.unmodifiableMap(byName);
    }

    private static void validate(CatalogConfig.ClassEntry e) {
        if (!Set.of(InstanceClass.STANDARD, InstanceClass.CLUSTER).contains(e.architecture())) {
            throw new IllegalStateException("catalog class " + e.name() + ": architecture must be standard or cluster");
        }
        if (!Set.of(InstanceClass.SINGLE, InstanceClass.DOUBLE).contains(e.nodeType())) {
            throw new IllegalStateException("catalog class " + e.name() + ": node-type must be single or double");
        }
        if (e.memoryMb() <= 0 || e.maxConnections() <= 0 || e.bandwidthMbps() <= 0 || e.shards() <= 0) {
            throw new IllegalStateException("catalog class " + e.name() + ": sizes must be positive");
        }
    }

    public List<InstanceClass> all() {
        return List.copyOf(classes.values());
    }

    public Optional<InstanceClass> find(String name) {
        return Optional.ofNullable(name == null ? null : classes.get(name));
    }

    /**
     * The standard class with this memory and node type (CreateInstance by Capacity): a current
     * {@code .default} class before a 2017 one, otherwise in catalogue order.
     */
    public Optional<InstanceClass> standardByCapacity(long memoryMb, String nodeType) {
        return classes.values().stream()
                .filter(c -> !c.isCluster() && c.memoryMb() == memoryMb && c.nodeType().equals(nodeType))
                .min(java.util.Comparator.comparing((InstanceClass c) -> !c.name().endsWith(".default")));
    }
}
