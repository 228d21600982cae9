package dev.kvsim.backup;

import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.NodeSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/** The engine settings of an instance whose backup log is on: timestamps in the AOF, and no AOF file dropped. */
@ApplicationScoped
public class BackupLogSettings implements NodeSettings {

    static final Map<String, String> ON = Map.of("aof-timestamp-enabled", "yes", "aof-disable-auto-gc", "yes");
    static final Map<String, String> OFF = Map.of("aof-timestamp-enabled", "no", "aof-disable-auto-gc", "no");

    private final BackupPolicyStore policies;

    public BackupLogSettings(BackupPolicyStore policies) {
        this.policies = policies;
    }

    @Override
    public Map<String, String> engineConfig(StoredInstance i) {
        return policies.of(i.instanceId()).backupLog() ? ON : Map.of();
    }
}
