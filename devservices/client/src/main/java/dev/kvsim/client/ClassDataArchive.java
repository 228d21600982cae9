package dev.kvsim.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A dynamic class-data-sharing archive of kvsim: the first launch of a kvsim
 * build on a JVM records the classes it loads ({@code -XX:ArchiveClassesAtExit}, written when kvsim exits);
 * later launches map them ({@code -XX:SharedArchiveFile}) and boot markedly faster (bench/RESULTS.md
 * "Start-up time"). An archive that does not fit the JVM or the jar is ignored by the JVM, never fatal.
 */
final class ClassDataArchive {

    /** No archive: neither recorded nor used. */
    static final ClassDataArchive NONE = new ClassDataArchive(null, null);

    private final Path archive;
    private final Path recording;

    private ClassDataArchive(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /**
     * The archive for this run jar on this JVM: one per build of kvsim (the jar's size and time) and JVM version.
     * It lives beside a jar the launcher unpacked (and goes with it), else in {@code cds/} of the launcher's cache.
     */
    static ClassDataArchive forJar(Path runJar, Path cacheDir) {
        try {
            String key = Integer.toHexString(runJar.toAbsolutePath().toString().hashCode()) + "-" + Files.size(runJar)
                    + "-" + Files.getLastModifiedTime(runJar).toMillis() + "-" + System.getProperty("java.vm.version");
            Path dir = runJar.toAbsolutePath().startsWith(KvsimArtifact.dist(cacheDir).toAbsolutePath())
                    ? runJar.toAbsolutePath().getParent() : cacheDir.resolve("cds");
            Files.createDirectories(dir);
            Path archive = dir.resolve("kvsim-" + key.replaceAll("[^A-Za-z0-9.+-]", "_") + ".jsa");
            Path recording = Files.isRegularFile(archive) ? null
                    : dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
            return new ClassDataArchive(archive, recording);
        } catch (IOException e) {
            return NONE;
        }
    }

    /** Archives of earlier builds of the same jar (same path, older size or time): never mapped again. */
    private void deleteOlderArchives() throws IOException {
        String name = archive.getFileName().toString();
        String samePath = name.substring(0, name.indexOf('-', "kvsim-".length()) + 1);
        try (var files = Files.list(archive.getParent())) {
            for (Path p : files.filter(p -> !p.equals(archive) && p.getFileName().toString().startsWith(samePath)
                    && p.getFileName().toString().endsWith(".jsa")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The JVM options: use the archive, or record it at exit. */
    List<String> jvmOptions() {
        if (archive == null) {
            return List.of();
        }
        // the recording JVM warns about every class it skips: thousands of lines that would bury kvsim's log
        return recording == null ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off")
                : List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xlog:cds*=off");
    }

    /**
     * After a graceful exit: the recorded archive becomes the one later launches use (moved into place, so a
     * launch never maps half a file). After a forced one the recording may be partial and is dropped.
     */
    void finish(boolean exitedGracefully) {
        if (recording == null) {
            return;
        }
        try {
            if (exitedGracefully && Files.size(recording) > 0) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                deleteOlderArchives();
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            // no archive this time: the next launch records again
            try {
                Files.deleteIfExists(recording);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
