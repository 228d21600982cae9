package dev.kvsim.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and directories only their owner may read: kvsim's data directory holds the nodes' password
 * (in their configs), the store (instance and account secrets) and the data itself. Created with
 * these modes from the start rather than tightened after, so that there is no moment at which
 * another local user could open them. On a file system without POSIX modes, the defaults apply.
 */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    /** Creates the directory and any missing parent with mode 0700; an existing one keeps its mode. */
    public static Path directories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            directories(parent);
        }
        try {
            Files.createDirectory(abs, attributes(DIRECTORY));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw new java.nio.file.FileSystemException(abs.toString(), null, "a file is where the directory belongs");
            }
            // another thread made it first
        }
        return dir;
    }

    /**
     * Writes the file with mode 0600: into a new temporary file beside it, which is moved over the
     * target, so that readers never see half of it and it is never readable by others, even briefly.
     */
    public static Path writeString(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, file.getFileName().toString() + ".", ".tmp", attributes(FILE));
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** Tightens a tree made before (or by something else): directories to 0700, files to 0600. */
    public static void restrictTree(Path root) throws IOException {
        if (!POSIX || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, DIRECTORY);
                } else {
                    // an engine binary extracted by kvsim stays executable, for its owner only
                    Files.setPosixFilePermissions(p, Files.isExecutable(p) ? DIRECTORY : FILE);
                }
            }
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }
}
