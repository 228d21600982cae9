package dev.kvsim.params;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.Map;

/** Instances' parameter values that differ from the defaults. */
@ApplicationScoped
public class ParameterStore {

    @Transactional
    public InstanceParameters of(String instanceId) {
        Map<String, String> changed = new HashMap<>();
        ParameterEntity.<ParameterEntity>list("instanceId", instanceId).forEach(e -> changed.put(e.name, e.value));
        return InstanceParameters.of(changed);
    }

    /** Stores the given values; a value equal to the default is stored as no change. */
    @Transactional
    public void save(String instanceId, Map<String, String> values) {
        values.forEach((name, value) -> {
            String id = instanceId + "/" + name;
            ParameterEntity.deleteById(id);
            if (!value.equals(ParameterCatalog.get(name).defaultValue())) {
                ParameterEntity e = new ParameterEntity();
                e.id = id;
                e.instanceId = instanceId;
                e.name = name;
                e.value = value;
                e.persist();
            }
        });
    }
}
