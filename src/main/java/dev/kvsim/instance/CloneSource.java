package dev.kvsim.instance;

/**
 * Where a new instance's data comes from when it is a clone: a backup of another instance (which may have been
 * released since) or a point in time of it. Exactly one of {@code backupId} and {@code restoreTime} is given.
 *
 * @param restoreTime ISO-8601 UTC, to the second ({@code 2026-12-07T10:15:30Z})
 */
public record CloneSource(String instanceId, Long backupId, String restoreTime) {
}
