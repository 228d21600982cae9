package dev.kvsim.launcher;

import dev.kvsim.lifecycle.KvsimStartup.StartupFailure;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * {@code kvsim.parent-pid}: kvsim lives no longer than the process that launched it, so a test JVM
 * that dies (even by kill -9, which runs none of its hooks) leaves no kvsim and no node behind.
 */
@ApplicationScoped
public class ParentWatch {

    private final Optional<Long> parentPid;

    public ParentWatch(@ConfigProperty(name = "kvsim.parent-pid") Optional<Long> parentPid) {
        this.parentPid = parentPid;
    }

    /**
     * When the parent exits, kvsim stops as on SIGTERM (every node stopped).
     *
     * @throws StartupFailure when the parent is already gone: nobody is left to use kvsim
     */
    public void watch() {
        if (parentPid.isEmpty()) {
            return;
        }
        long pid = parentPid.get();
        ProcessHandle parent = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new StartupFailure("kvsim.parent-pid " + pid + " is not running"));
        parent.onExit().thenRun(() -> {
            Log.infof("parent process %d (kvsim.parent-pid) exited: kvsim stops", pid);
            Quarkus.asyncExit();
        });
    }
}
