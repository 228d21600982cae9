package dev.kvsim.core;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Path;

/**
 * kvsim's data directory is its owner's alone (0700), and so is what kvsim keeps in it: the store,
 * the nodes' directories and the extracted engine. Tightened at every start, so that a data
 * directory made by an earlier kvsim (0755 directories, 0644 files) is closed on upgrade; what
 * kvsim creates afterwards is created owner-only ({@link OwnerOnly}).
 */
@ApplicationScoped
public class DataDirectory {

    private final Path dir;

    public DataDirectory(@ConfigProperty(name = "kvsim.data-dir") Path dir) {
        this.dir = dir;
    }

    /** Before anything else runs at start (the store is open by now: H2 made its files with the default mode). */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            OwnerOnly.directories(dir);
            OwnerOnly.restrictTree(dir.resolve("store"));
            OwnerOnly.restrictTree(dir.resolve("instances"));
            OwnerOnly.restrictTree(dir.resolve("engine"));
            // last: from here on nothing inside is reachable by another user, whatever its own mode
            java.nio.file.Files.setPosixFilePermissions(dir, OwnerOnly.DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Log.debugf("the file system of %s has no POSIX modes: left as it is", dir);
        } catch (IOException e) {
            // e.g. a directory another user owns: kvsim still runs, but says that its secrets are exposed
            Log.warnf("cannot restrict the data directory %s to its owner (%s): other local users may read"
                    + " the nodes' configs and the store", dir, e.toString());
        }
    }
}
