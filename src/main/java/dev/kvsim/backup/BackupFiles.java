package dev.kvsim.backup;

import dev.kvsim.engine.NodeSnapshot;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where backups live: {@code <data-dir>/backups/<instance-id>/}, beside (not in) the instances' directories, so that
 * they outlive a released instance. Everything here is its owner's only (directories 0700, files 0600). The
 * storage's size may be capped ({@code kvsim.backup.max-bytes}) to play a full disk.
 */
@ApplicationScoped
public class BackupFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final Path root;
    private final Optional<Long> maxBytes;

    public BackupFiles(@ConfigProperty(name = "kvsim.data-dir") Path dataDir,
                       @ConfigProperty(name = "kvsim.backup.max-bytes") Optional<Long> maxBytes) {
        this.root = dataDir.resolve("backups");
        this.maxBytes = maxBytes;
    }

    public Path root() {
        return root;
    }

    public Path instanceDir(String instanceId) {
        return root.resolve(instanceId);
    }

    /** A backup's RDB file. */
    public Path rdb(String instanceId, long backupId) {
        return instanceDir(instanceId).resolve(backupId + ".rdb");
    }

    /** Where a backup is written until it is complete. */
    public Path partial(String instanceId, long backupId) {
        return instanceDir(instanceId).resolve(backupId + ".rdb.part");
    }

    /** The archive of one chain of a shard's backup log. */
    public Path logDir(String instanceId, int shard, String chainId) {
        return instanceDir(instanceId).resolve("log").resolve("shard-" + shard).resolve(chainId);
    }

    /** Creates the directory (and its parents under the root) owner-only. */
    public Path privateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
                restrict(d, DIR);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a file owner-only. */
    public static void privateFile(Path file) throws IOException {
        restrict(file, FILE);
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (POSIX && Files.exists(p)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /**
     * The room a new backup may fill: what {@code kvsim.backup.max-bytes} leaves beside what the backups
     * directory holds now.
     */
    public NodeSnapshot.Budget budget() {
        if (maxBytes.isEmpty()) {
            return n -> {
            };
        }
        long cap = maxBytes.get();
        java.util.concurrent.atomic.AtomicLong left = new java.util.concurrent.atomic.AtomicLong(cap - usedBytes());
        return n -> {
            if (left.addAndGet(-n) < 0) {
                throw new NodeSnapshot.FullException("the backup storage is full: kvsim.backup.max-bytes is " + cap
                        + " bytes");
            }
        };
    }

    /** The bytes every file under the backups directory holds. */
    public long usedBytes() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;  // removed meanwhile
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes a file or a directory tree; a failure is logged, not thrown (a leftover does no harm). */
    public static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            Log.warnf("could not remove %s: %s", p, e.getMessage());
        }
    }
}
