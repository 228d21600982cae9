package dev.kvsim.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;

/**
 * The on-disk step of a restore, with the instance's nodes stopped: each prepared master directory takes the place
 * of its node directory, and every other node's directory is set aside (those nodes start empty and sync from
 * their master). Each move is one rename; the whole step is idempotent, so that a kvsim that stopped half-way runs
 * it again from the start and ends with every node restored.
 */
final class RestoreSwap {

    private RestoreSwap() {
    }

    /**
     * @param prepared the nodes with a prepared directory ({@code .restore-<tag>-<nodeId>})
     * @param others   the instance's other nodes, whose data is dropped
     */
    static void swap(Path instanceDir, String tag, Collection<String> prepared, Collection<String> others)
            throws IOException {
        for (String nodeId : prepared) {
            Path ready = instanceDir.resolve(".restore-" + tag + "-" + nodeId);
            if (!Files.exists(ready)) {
                continue;  // swapped already
            }
            setAside(instanceDir, tag, nodeId);
            Files.move(ready, instanceDir.resolve(nodeId), StandardCopyOption.ATOMIC_MOVE);
        }
        for (String nodeId : others) {
            setAside(instanceDir, tag, nodeId);
        }
    }

    /** Moves the node's directory to {@code .restore-<tag>-old-<nodeId>}, unless that was done already. */
    private static void setAside(Path instanceDir, String tag, String nodeId) throws IOException {
        Path live = instanceDir.resolve(nodeId);
        Path old = instanceDir.resolve(".restore-" + tag + "-old-" + nodeId);
        if (!Files.exists(live)) {
            return;
        }
        if (Files.exists(old)) {
            BackupFiles.delete(old);  // an earlier run set aside a directory this one no longer needs
        }
        Files.move(live, old, StandardCopyOption.ATOMIC_MOVE);
    }
}
