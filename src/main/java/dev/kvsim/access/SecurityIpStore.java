package dev.kvsim.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Instances' whitelist groups; an instance with none stored has the default group. */
@ApplicationScoped
public class SecurityIpStore {

    @Transactional
    public List<SecurityIpGroup> of(String instanceId) {
        List<SecurityIpEntity> rows = SecurityIpEntity.list("instanceId", instanceId);
        if (rows.isEmpty()) {
            return SecurityIpGroup.defaults();
        }
        return rows.stream().sorted(Comparator.comparing(e -> e.groupName))
                .map(e -> new SecurityIpGroup(e.groupName,
                        e.ips.isEmpty() ? List.of() : Arrays.asList(e.ips.split(","))))
                .toList();
    }

    /** Replaces every group of the instance. */
    @Transactional
    public void replace(String instanceId, List<SecurityIpGroup> groups) {
        SecurityIpEntity.delete("instanceId", instanceId);
        SecurityIpEntity.flush();
        for (SecurityIpGroup g : groups) {
            SecurityIpEntity e = new SecurityIpEntity();
            e.id = instanceId + "/" + g.name();
            e.instanceId = instanceId;
            e.groupName = g.name();
            e.ips = String.join(",", g.ips());
            e.persist();
        }
    }
}
