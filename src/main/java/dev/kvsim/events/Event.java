package dev.kvsim.events;

import java.time.Instant;
import java.util.Map;

/** Something that happened to an instance, as {@code GET …/events} lists it. */
public record Event(long id, String instanceId, Instant at, String type, Map<String, Object> details) {

    public static final String CREATED = "InstanceCreated";
    public static final String RESTARTED = "InstanceRestarted";
    public static final String FLUSHED = "InstanceFlushed";
    public static final String PARAMETERS_CHANGED = "ParametersChanged";
    public static final String FAILOVER = "Failover";
    public static final String SWITCHOVER = "Switchover";
    public static final String SWITCHOVER_SCHEDULED = "SwitchoverScheduled";
    public static final String SWITCHOVER_FAILED = "SwitchoverFailed";
    public static final String NODE_REPLACED = "NodeReplaced";
    public static final String MAJOR_VERSION_UPGRADED = "MajorVersionUpgraded";
    public static final String MAJOR_VERSION_UPGRADE_SCHEDULED = "MajorVersionUpgradeScheduled";
    public static final String MAJOR_VERSION_UPGRADE_FAILED = "MajorVersionUpgradeFailed";
    public static final String SCRIPT_KILLED = "ScriptKilled";
    public static final String REPAIR_FAILED = "RepairFailed";
    public static final String FAULT_STARTED = "FaultStarted";
    public static final String FAULT_ENDED = "FaultEnded";
    public static final String BACKUP_CREATED = "BackupCreated";
    public static final String BACKUP_FAILED = "BackupFailed";
    public static final String BACKUP_RESTORED = "BackupRestored";
    public static final String RESTORE_FAILED = "RestoreFailed";
}
