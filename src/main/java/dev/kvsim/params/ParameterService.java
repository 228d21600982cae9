package dev.kvsim.params;

import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.engine.NodeClient;
import dev.kvsim.instance.RunningInstances;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** DescribeParameters / ModifyInstanceConfig: read and change an instance's parameters. */
@ApplicationScoped
public class ParameterService {

    private final InstanceStore instances;
    private final ParameterStore store;
    private final RunningInstances running;
    private final EventStore events;

    public ParameterService(InstanceStore instances, ParameterStore store, RunningInstances running,
                            EventStore events) {
        this.events = events;
        this.instances = instances;
        this.store = store;
        this.running = running;
    }

    /** One parameter as the API shows it. */
    public record ParameterView(String name, String value, @JsonProperty("default") String defaultValue, boolean modifiable,
                                String description, String allowedValues) {
    }

    public List<ParameterView> list(String instanceId) {
        instances.require(instanceId);
        InstanceParameters p = store.of(instanceId);
        List<ParameterView> out = new ArrayList<>();
        for (ParameterDefinition d : ParameterCatalog.all()) {
            out.add(view(d.name(), d, p));
        }
        ParameterCatalog.aliases().forEach((alias, name) -> out.add(view(alias, ParameterCatalog.get(name), p)));
        return out;
    }

    /** The instance's parameter values by name, in catalogue order (no aliases): DescribeInstanceConfig's Config. */
    public Map<String, String> values(String instanceId) {
        instances.require(instanceId);
        InstanceParameters p = store.of(instanceId);
        Map<String, String> out = new LinkedHashMap<>();
        ParameterCatalog.all().forEach(d -> out.put(d.name(), p.get(d.name())));
        return out;
    }

    private static ParameterView view(String shownName, ParameterDefinition d, InstanceParameters p) {
        return new ParameterView(shownName, p.get(d.name()), d.defaultValue(), d.modifiable(), d.description(),
                d.allowed());
    }

    /**
     * Validates every change first (nothing changes on a bad one), applies engine settings to
     * every node, then stores them and updates the proxy. The instance is {@code Changing} meanwhile.
     */
    public List<ParameterView> modify(String instanceId, Map<String, Object> changes) {
        Map<String, String> valid = validate(changes);
        instances.transition(instanceId, InstanceStatus.Changing, InstanceStatus.Normal);
        try {
            InstanceParameters before = store.of(instanceId);
            Map<String, String> engine = new LinkedHashMap<>();
            valid.forEach((name, value) -> {
                if (ParameterCatalog.get(name).engine()) {
                    engine.put(name, value);
                }
            });
            try {
                running.applyEngineConfig(instanceId, engine);
            } catch (NodeClient.NodeCommandException e) {
                restore(instanceId, engine, before);
                throw ServiceError.invalid("The engine refused the change: " + e.getMessage());
            }
            store.save(instanceId, valid);
            running.refreshPolicy(instanceId);
            events.record(instanceId, Event.PARAMETERS_CHANGED, Map.copyOf(valid));
        } finally {
            instances.setStatus(instanceId, InstanceStatus.Normal);
        }
        return list(instanceId);
    }

    private void restore(String instanceId, Map<String, String> attempted, InstanceParameters before) {
        Map<String, String> old = attempted.keySet().stream()
                .collect(Collectors.toMap(n -> n, before::get, (a, b) -> a, LinkedHashMap::new));
        try {
            running.applyEngineConfig(instanceId, old);
        } catch (RuntimeException e) {
            Log.warnf("instance %s: could not put parameters back after a refused change: %s", instanceId, e.getMessage());
        }
    }

    private static Map<String, String> validate(Map<String, Object> changes) {
        if (changes == null || changes.isEmpty()) {
            throw new ServiceError(400, "MissingParameter",
                    "A JSON object of parameter names and values is required, e.g. {\"maxmemory-policy\": \"noeviction\"}.");
        }
        Map<String, String> valid = new LinkedHashMap<>();
        changes.forEach((name, raw) -> {
            ParameterDefinition d = ParameterCatalog.find(name).orElseThrow(() -> ServiceError.invalid(
                    "Unknown parameter '" + name + "'; the parameters that can be changed are "
                            + String.join(", ", ParameterCatalog.modifiableNames()) + "."));
            if (!d.modifiable()) {
                throw ServiceError.invalid("The parameter '" + name + "' cannot be modified.");
            }
            String value = raw instanceof String || raw instanceof Number ? raw.toString() : null;
            if (!d.accepts(value)) {
                throw ServiceError.invalid("Invalid value " + (raw instanceof String ? "'" + raw + "'" : String.valueOf(raw))
                        + " for parameter '" + name + "': allowed values are " + d.allowed() + ".");
            }
            valid.put(d.name(), value);
        });
        return valid;
    }
}
