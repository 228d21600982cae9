package dev.kvsim.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The swap a restarted kvsim runs again: from every point a crash can leave it at, it ends with each master holding
 * its prepared data and every other node's directory set aside.
 */
class RestoreSwapTest {

    private static final List<String> MASTERS = List.of("m0", "m1");
    private static final List<String> OTHERS = List.of("r0", "r1");

    @TempDir
    Path dir;

    /** Each node directory holds a file naming its data; each master has a prepared directory with "restored". */
    private void layOut() throws IOException {
        for (String n : List.of("m0", "m1", "r0", "r1")) {
            Files.createDirectories(dir.resolve(n));
            Files.writeString(dir.resolve(n).resolve("data"), "old-" + n);
        }
        for (String m : MASTERS) {
            Path ready = dir.resolve(".restore-7-" + m);
            Files.createDirectories(ready);
            Files.writeString(ready.resolve("data"), "restored-" + m);
        }
    }

    private void assertRestored() {
        for (String m : MASTERS) {
            assertEquals("restored-" + m, read(dir.resolve(m).resolve("data")));
            assertFalse(Files.exists(dir.resolve(".restore-7-" + m)));
        }
        for (String r : OTHERS) {
            assertFalse(Files.exists(dir.resolve(r)), r + " starts empty");
            assertEquals("old-" + r, read(dir.resolve(".restore-7-old-" + r).resolve("data")));
        }
    }

    @Test
    void aWholeSwapRestoresEveryNode() throws IOException {
        layOut();
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        assertRestored();
    }

    @Test
    void aSwapRunAgainAfterItFinishedChangesNothing() throws IOException {
        layOut();
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        assertRestored();
    }

    @Test
    void aSwapStoppedBetweenSettingAsideAndMovingInFinishes() throws IOException {
        layOut();
        // the crash came after m0 was set aside, before its prepared directory moved in
        Files.move(dir.resolve("m0"), dir.resolve(".restore-7-old-m0"), StandardCopyOption.ATOMIC_MOVE);
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        assertRestored();
    }

    @Test
    void aSwapStoppedAfterTheFirstMasterFinishes() throws IOException {
        layOut();
        RestoreSwap.swap(dir, "7", List.of("m0"), List.of());  // m0 done, the rest not
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        assertRestored();
        assertEquals("old-m0", read(dir.resolve(".restore-7-old-m0").resolve("data")));
    }

    @Test
    void aNewInstanceHasNoDirectoryToSetAside() throws IOException {
        for (String m : MASTERS) {
            Files.createDirectories(dir.resolve(".restore-7-" + m));
            Files.writeString(dir.resolve(".restore-7-" + m).resolve("data"), "restored-" + m);
        }
        RestoreSwap.swap(dir, "7", MASTERS, OTHERS);
        for (String m : MASTERS) {
            assertEquals("restored-" + m, read(dir.resolve(m).resolve("data")));
        }
        assertTrue(OTHERS.stream().noneMatch(r -> Files.exists(dir.resolve(r))));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(p + " is missing", e);
        }
    }
}
