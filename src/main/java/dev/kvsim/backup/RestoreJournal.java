package dev.kvsim.backup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Restores and clones in progress, in the store: what a kvsim that stops half-way finds at its next start. A
 * restore in phase Preparing has changed nothing of its instance (undo: drop what was prepared); one in Swapping
 * has all its data prepared beside the nodes (finish: swap it in).
 */
@ApplicationScoped
public class RestoreJournal {

    public static final String RESTORE = "Restore";
    public static final String CLONE = "Clone";
    public static final String PREPARING = "Preparing";
    public static final String SWAPPING = "Swapping";
    public static final String DONE = "Done";
    public static final String FAILED = "Failed";

    /** A journal entry, detached. */
    public record Entry(long id, String instanceId, String kind, String sourceInstanceId, Long backupJobId,
                        Instant restoreTime, String phase, List<String> preparedNodes, Instant requestedAt) {

        /** The tag of the directories it prepares beside the nodes. */
        public String tag() {
            return Long.toString(id);
        }
    }

    @Transactional
    public Entry begin(String instanceId, String kind, String sourceInstanceId, Long backupJobId, Instant restoreTime,
                       Instant now) {
        RestoreJobEntity e = new RestoreJobEntity();
        e.instanceId = instanceId;
        e.kind = kind;
        e.sourceInstanceId = sourceInstanceId;
        e.backupJobId = backupJobId;
        e.restoreTime = restoreTime;
        e.phase = PREPARING;
        e.requestedAt = now;
        e.persist();
        return toEntry(e);
    }

    /** Everything is prepared beside the nodes of these masters: from here on, a restart finishes the restore. */
    @Transactional
    public void swapping(long id, List<String> preparedNodes) {
        RestoreJobEntity e = RestoreJobEntity.findById(id);
        e.phase = SWAPPING;
        e.preparedNodes = String.join(",", preparedNodes);
    }

    @Transactional
    public void finish(long id, String phase, Instant at, String error) {
        RestoreJobEntity e = RestoreJobEntity.findById(id);
        if (e != null) {
            e.phase = phase;
            e.finishedAt = at;
            e.error = error == null ? null : error.substring(0, Math.min(error.length(), 2000));
        }
    }

    /** Entries neither Done nor Failed: ones a stopped kvsim left. */
    @Transactional
    public List<Entry> unfinished() {
        return RestoreJobEntity.<RestoreJobEntity>list("phase in ?1", List.of(PREPARING, SWAPPING)).stream()
                .map(RestoreJournal::toEntry).toList();
    }

    private static Entry toEntry(RestoreJobEntity e) {
        List<String> prepared = e.preparedNodes == null || e.preparedNodes.isEmpty() ? List.of()
                : Arrays.asList(e.preparedNodes.split(","));
        return new Entry(e.id, e.instanceId, e.kind, e.sourceInstanceId, e.backupJobId, e.restoreTime, e.phase,
                prepared, e.requestedAt);
    }
}
