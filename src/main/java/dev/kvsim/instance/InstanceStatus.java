package dev.kvsim.instance;

/** The service's InstanceStatus values kvsim uses. */
public enum InstanceStatus {
    Creating, Normal, Changing, HASwitching, Flushing, Rebooting, BackupRecovering, MajorVersionUpgrading, Released, Error
}
