package dev.kvsim.client;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacking kvsim's -app.zip into ~/.kvsim/dist: once per build, the previous build's tree removed. */
class KvsimArtifactTest {

    @Test
    void aZipIsUnpackedOnceAndAReinstalledOneReplacesThePreviousTree() throws Exception {
        Path dir = Files.createTempDirectory("kvsim-artifact-test");
        Path zip = dir.resolve("kvsim-artifact-test-" + ProcessHandle.current().pid() + "-app.zip");
        try {
            writeZip(zip, "build 1");
            Path first = KvsimArtifact.runJar(zip);
            assertEquals("build 1", Files.readString(first));
            assertEquals(first, KvsimArtifact.runJar(zip), "the same build is not unpacked again");

            writeZip(zip, "build 2 (longer)");
            Files.setLastModifiedTime(zip, FileTime.from(Instant.now().plusSeconds(60)));
            Path second = KvsimArtifact.runJar(zip);
            assertNotEquals(first.getParent(), second.getParent());
            assertEquals("build 2 (longer)", Files.readString(second));
            assertFalse(Files.exists(first.getParent()), "the previous build's tree is removed");
            KvsimArtifact.deleteTree(second.getParent());
        } finally {
            KvsimArtifact.deleteTree(dir);
        }
        assertTrue(Files.isDirectory(KvsimArtifact.DIST));
    }

    private static void writeZip(Path zip, String runJarContent) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("quarkus-run.jar"));
            out.write(runJarContent.getBytes());
            out.closeEntry();
        }
    }
}
