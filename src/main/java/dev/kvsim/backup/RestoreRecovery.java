package dev.kvsim.backup;

import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * At kvsim's start, before its instances come back: what a kvsim that stopped (even by {@code kill -9}) left half
 * done. A backup it was making is Failed; a restore that had not reached its swap is undone (the instance keeps its
 * data); one that had is finished (the instance comes back restored); a clone is laid again from its source.
 */
@ApplicationScoped
public class RestoreRecovery {

    private final BackupService backups;
    private final RestoreJournal journal;
    private final Restorer restorer;
    private final CloneService clones;
    private final InstanceStore instances;

    public RestoreRecovery(BackupService backups, RestoreJournal journal, Restorer restorer, CloneService clones,
                           InstanceStore instances) {
        this.backups = backups;
        this.journal = journal;
        this.restorer = restorer;
        this.clones = clones;
        this.instances = instances;
    }

    /** After the node processes a killed kvsim left are stopped (NodeManager, at the default priority). */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        backups.failInterrupted();
        for (RestoreJournal.Entry e : journal.unfinished()) {
            Optional<StoredInstance> target = instances.find(e.instanceId());
            if (target.isEmpty()) {
                restorer.abandon(e.instanceId(), e, "the instance was deleted");
                continue;
            }
            try {
                recover(target.get(), e);
            } catch (RuntimeException ex) {
                Log.errorf("instance %s: the %s kvsim stopped during could not be finished: %s", e.instanceId(),
                        e.kind().toLowerCase(), ex.getMessage());
            }
        }
    }

    private void recover(StoredInstance i, RestoreJournal.Entry e) {
        String note = "finished when kvsim started again after it stopped during the " + e.kind().toLowerCase();
        boolean clone = RestoreJournal.CLONE.equals(e.kind());
        if (RestoreJournal.SWAPPING.equals(e.phase())) {
            restorer.swap(i, e, e.preparedNodes());
            restorer.restored(i.instanceId(), e, note);
        } else if (!clone) {
            restorer.abandon(i.instanceId(), e, "kvsim stopped during the restore, before it replaced any data");
        } else {
            try {
                clones.layClone(i, e, note);
            } catch (RuntimeException ex) {
                // an instance without its data must not come back as if it were the clone: it goes
                Log.errorf("instance %s: its clone cannot be finished (%s); it is released", i.instanceId(), ex.getMessage());
                instances.setStatus(i.instanceId(), InstanceStatus.Released);
            }
        }
    }
}
