package dev.kvsim.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds kvsim's runnable jar: a configured path (a {@code quarkus-run.jar}, its directory, or kvsim's
 * {@code -app.zip}), else the {@code -app.zip} that {@code ./mvnw install} put in the local Maven repository
 * for this client's version. A zip is unpacked once into {@code dist/} of the launcher's cache directory
 * ({@code ~/.kvsim}, or what {@value #CACHE_PROPERTY} / {@value #CACHE_ENV} name).
 */
final class KvsimArtifact {

    /** System property and environment variable naming kvsim's jar, directory or zip. */
    static final String PROPERTY = "kvsim.artifact";
    static final String ENV = "KVSIM_ARTIFACT";
    /** System property and environment variable naming the directory for unpacked zips and class-data archives. */
    static final String CACHE_PROPERTY = "kvsim.cache-dir";
    static final String CACHE_ENV = "KVSIM_CACHE_DIR";
    private static final String RUN_JAR = "quarkus-run.jar";

    private KvsimArtifact() {
    }

    /** The launcher's cache: the configured directory, else {@code ~/.kvsim}. */
    static Path cacheDir() {
        return Optional.ofNullable(System.getProperty(CACHE_PROPERTY)).filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv(CACHE_ENV)).filter(s -> !s.isBlank()))
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".kvsim"));
    }

    /** Where zips are unpacked in that cache. */
    static Path dist(Path cacheDir) {
        return cacheDir.resolve("dist");
    }

    /**
     * The {@code quarkus-run.jar} to launch; a zip is unpacked under {@code cacheDir}.
     *
     * @throws KvsimStartException naming every place looked at
     */
    static Path runJar(Path configured, Path cacheDir) {
        Path path = Optional.ofNullable(configured)
                .or(() -> Optional.ofNullable(System.getProperty(PROPERTY)).filter(s -> !s.isBlank()).map(Path::of))
                .or(() -> Optional.ofNullable(System.getenv(ENV)).filter(s -> !s.isBlank()).map(Path::of))
                .orElseGet(KvsimArtifact::localRepositoryZip);
        if (!Files.exists(path)) {
            throw new KvsimStartException("kvsim's runnable artifact is not at " + path + ". Install kvsim into the local "
                    + "Maven repository (./mvnw install in kvsim's checkout), or name its quarkus-run.jar or -app.zip "
                    + "with the system property " + PROPERTY + " or the environment variable " + ENV + ".", null);
        }
        if (Files.isDirectory(path)) {
            return path.resolve(RUN_JAR);
        }
        return path.getFileName().toString().endsWith(".zip") ? unpacked(path, dist(cacheDir)) : path;
    }

    /** {@code <local repo>/dev/kvsim/kvsim/<version>/kvsim-<version>-app.zip}. */
    static Path localRepositoryZip() {
        String version = System.getProperty("kvsim.version", clientVersion());
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return Path.of(repo, "dev", "kvsim", "kvsim", version, "kvsim-" + version + "-app.zip");
    }

    /** The version this client was built as: by default it launches the kvsim of the same version. */
    static String clientVersion() {
        try (InputStream in = KvsimArtifact.class.getResourceAsStream("/META-INF/kvsim/kvsim-client.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("kvsim-client.properties is missing from the kvsim-client jar", e);
        }
    }

    /**
     * The zip unpacked under {@code <dist>/<name>-<size>-<mtime>/}: a reinstalled snapshot gets a new
     * directory. Unpacked into a temporary sibling and renamed, so parallel launches never see half a tree.
     */
    private static Path unpacked(Path zip, Path dist) {
        try {
            String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
            String key = name + "-" + Files.size(zip) + "-" + Files.getLastModifiedTime(zip).toMillis();
            Path target = dist.resolve(key);
            if (!Files.isRegularFile(target.resolve(RUN_JAR))) {
                Files.createDirectories(dist);
                Path tmp = Files.createTempDirectory(dist, key + ".unpacking-");
                unzip(zip, tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                    deleteTree(tmp);
                }
                deleteOlderBuilds(dist, name, target);
            }
            return target.resolve(RUN_JAR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack kvsim from " + zip, e);
        }
    }

    /** A reinstalled snapshot replaces the previous build's tree (about 60 MB, and its class-data archive). */
    private static void deleteOlderBuilds(Path dist, String name, Path current) throws IOException {
        try (var siblings = Files.list(dist)) {
            for (Path p : siblings.filter(p -> !p.equals(current) && p.getFileName().toString().startsWith(name + "-")
                    && !p.getFileName().toString().contains(".unpacking-")).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry outside the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
