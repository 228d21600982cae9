package dev.kvsim.access;

import dev.kvsim.instance.RunningInstances;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DescribeSecurityIps / ModifySecurityIps. A change applies to new connections at once; connections
 * already open stay, as on the service.
 */
@ApplicationScoped
public class SecurityIpService {

    public static final int MAX_ENTRIES = 1000;
    private static final Pattern GROUP_NAME = Pattern.compile("[a-z][a-z0-9_]{1,119}");

    private final InstanceStore instances;
    private final SecurityIpStore store;
    private final RunningInstances running;

    public SecurityIpService(InstanceStore instances, SecurityIpStore store, RunningInstances running) {
        this.instances = instances;
        this.store = store;
        this.running = running;
    }

    public enum Mode { Cover, Append, Delete }

    public List<SecurityIpGroup> list(String instanceId) {
        requireInstance(instanceId);
        return store.of(instanceId);
    }

    /** Replaces every group. */
    public List<SecurityIpGroup> replaceAll(String instanceId, List<SecurityIpGroup> groups) {
        requireInstance(instanceId);
        if (groups == null || groups.isEmpty()) {
            throw new ServiceError(400, "MissingParameter", "At least one group is required, e.g. "
                    + "[{\"name\": \"default\", \"ips\": [\"127.0.0.1\"]}].");
        }
        Set<String> names = new HashSet<>();
        List<SecurityIpGroup> clean = new ArrayList<>();
        for (SecurityIpGroup g : groups) {
            if (g == null) {
                throw ServiceError.invalid("A group must be an object with name and ips.");
            }
            checkGroupName(g.name());
            if (!names.add(g.name())) {
                throw ServiceError.invalid("The group '" + g.name() + "' is listed twice.");
            }
            clean.add(new SecurityIpGroup(g.name(), checkEntries(g.name(), g.ips())));
        }
        return save(instanceId, clean);
    }

    /** Changes one group: Cover replaces its entries, Append adds, Delete removes. */
    public List<SecurityIpGroup> modifyGroup(String instanceId, String group, List<String> ips, String mode) {
        requireInstance(instanceId);
        checkGroupName(group);
        Mode m = parseMode(mode);
        if (ips == null) {
            throw new ServiceError(400, "MissingParameter", "ips is required (a list of IPs or CIDR blocks).");
        }
        List<String> given = checkEntries(group, ips);
        List<SecurityIpGroup> groups = new ArrayList<>(store.of(instanceId));
        LinkedHashSet<String> entries = new LinkedHashSet<>();
        int at = -1;
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).name().equals(group)) {
                at = i;
                entries.addAll(groups.get(i).ips());
            }
        }
        switch (m) {
            case Cover -> {
                entries.clear();
                entries.addAll(given);
            }
            case Append -> entries.addAll(given);
            case Delete -> given.forEach(entries::remove);
        }
        if (entries.size() > MAX_ENTRIES) {
            throw ServiceError.invalid("A security IP group holds at most " + MAX_ENTRIES + " entries; group '"
                    + group + "' would hold " + entries.size() + ".");
        }
        SecurityIpGroup updated = new SecurityIpGroup(group, List.copyOf(entries));
        if (at >= 0) {
            groups.set(at, updated);
        } else {
            groups.add(updated);
        }
        return save(instanceId, groups);
    }

    private List<SecurityIpGroup> save(String instanceId, List<SecurityIpGroup> groups) {
        store.replace(instanceId, groups);
        List<SecurityIpGroup> now = store.of(instanceId);
        running.refreshPolicy(instanceId);
        Log.infof("instance %s security IPs: %s", instanceId, now);
        return now;
    }

    private static Mode parseMode(String mode) {
        if (mode == null) {
            return Mode.Cover;
        }
        for (Mode m : Mode.values()) {
            if (m.name().equals(mode)) {
                return m;
            }
        }
        throw ServiceError.invalid("mode must be Cover, Append or Delete; got '" + mode + "'.");
    }

    private static void checkGroupName(String name) {
        if (name == null || !GROUP_NAME.matcher(name).matches()) {
            throw ServiceError.invalid("The group name '" + name + "' is not valid: 2 to 120 characters, lower-case "
                    + "letters, digits and underscores, starting with a letter.");
        }
    }

    private static List<String> checkEntries(String group, List<String> ips) {
        if (ips == null) {
            throw new ServiceError(400, "MissingParameter", "ips is required for group '" + group + "'.");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String ip : ips) {
            String e = ip == null ? null : ip.trim();
            if (!IpWhitelist.isValidEntry(e)) {
                throw ServiceError.invalid("'" + ip + "' is not an IPv4 address or CIDR block (e.g. 10.0.0.1 or 10.0.0.0/8).");
            }
            unique.add(e);
        }
        if (unique.size() > MAX_ENTRIES) {
            throw ServiceError.invalid("A security IP group holds at most " + MAX_ENTRIES + " entries; group '"
                    + group + "' would hold " + unique.size() + ".");
        }
        return List.copyOf(unique);
    }

    private void requireInstance(String instanceId) {
        instances.require(instanceId);
    }
}
