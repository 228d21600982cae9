package dev.kvsim.client;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unpacking kvsim's -app.zip into the launcher's cache directory: once per build, the previous build's
 * tree removed; class-data archives beside it. Every test uses a temporary cache, never the user's ~/.kvsim.
 */
class KvsimArtifactTest {

    @TempDir
    Path tmp;

    private Path cache;
    private Path zip;

    @BeforeEach
    void cacheAndZip() throws Exception {
        cache = tmp.resolve("cache");
        zip = tmp.resolve("kvsim-artifact-test-app.zip");
        writeZip(zip, "build 1");
    }

    @Test
    void aZipIsUnpackedOnceAndAReinstalledOneReplacesThePreviousTree() throws Exception {
        Path first = KvsimArtifact.runJar(zip, cache);
        assertEquals(cache.resolve("dist"), first.getParent().getParent(), "unpacked into the cache's dist/");
        assertEquals("build 1", Files.readString(first));
        assertEquals(first, KvsimArtifact.runJar(zip, cache), "the same build is not unpacked again");

        writeZip(zip, "build 2 (longer)");
        Files.setLastModifiedTime(zip, FileTime.from(Instant.now().plusSeconds(60)));
        Path second = KvsimArtifact.runJar(zip, cache);
        assertNotEquals(first.getParent(), second.getParent());
        assertEquals("build 2 (longer)", Files.readString(second));
        assertFalse(Files.exists(first.getParent()), "the previous build's tree is removed");
        try (var left = Files.list(cache.resolve("dist"))) {
            assertEquals(List.of(second.getParent()), left.toList(), "no half-unpacked tree is left behind");
        }
    }

    @Test
    void theCacheDirectoryIsTheConfiguredOneElseDotKvsimInTheHomeDirectory() {
        String before = System.getProperty(KvsimArtifact.CACHE_PROPERTY);
        try {
            System.clearProperty(KvsimArtifact.CACHE_PROPERTY);
            if (System.getenv(KvsimArtifact.CACHE_ENV) == null) {
                assertEquals(Path.of(System.getProperty("user.home"), ".kvsim"), KvsimArtifact.cacheDir());
            }
            System.setProperty(KvsimArtifact.CACHE_PROPERTY, tmp.toString());
            assertEquals(tmp, KvsimArtifact.cacheDir());
        } finally {
            if (before == null) {
                System.clearProperty(KvsimArtifact.CACHE_PROPERTY);
            } else {
                System.setProperty(KvsimArtifact.CACHE_PROPERTY, before);
            }
        }
    }

    @Test
    void aClassDataArchiveIsRecordedBesideAnUnpackedJarElseInTheCachesCdsDirectory() throws Exception {
        Path unpacked = KvsimArtifact.runJar(zip, cache);
        assertTrue(recordingOption(unpacked, cache).startsWith("-XX:ArchiveClassesAtExit=" + unpacked.getParent().resolve("kvsim-")),
                recordingOption(unpacked, cache));

        Path ownJar = Files.writeString(tmp.resolve("quarkus-run.jar"), "a jar of the user's own");
        assertTrue(recordingOption(ownJar, cache).startsWith("-XX:ArchiveClassesAtExit=" + cache.resolve("cds").resolve("kvsim-")),
                recordingOption(ownJar, cache));
        assertTrue(Files.isDirectory(cache.resolve("cds")));
    }

    /** The first JVM option for a first launch of this jar: where its archive is recorded. */
    private static String recordingOption(Path runJar, Path cache) {
        return ClassDataArchive.forJar(runJar, cache).jvmOptions().get(0);
    }

    private static void writeZip(Path zip, String runJarContent) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("quarkus-run.jar"));
            out.write(runJarContent.getBytes());
            out.closeEntry();
        }
    }
}
