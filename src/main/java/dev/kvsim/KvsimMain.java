package dev.kvsim;

import dev.kvsim.lifecycle.KvsimStartup;
import dev.kvsim.lifecycle.StartupGate;
import dev.kvsim.launcher.ParentWatch;
import dev.kvsim.launcher.ReadyAnnouncement;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/** kvsim's entry point: start the instances, then serve until stopped. */
@QuarkusMain
public class KvsimMain implements QuarkusApplication {

    static final String DATA_DIR = "kvsim.data-dir";

    public static void main(String... args) {
        expandHome();
        StartupGate.closeUntilStarted();
        Quarkus.run(KvsimMain.class, args);
    }

    /**
     * A shell does not expand {@code ~} inside {@code -Dkvsim.data-dir=~/x}; H2 would expand it in the
     * store's URL and the nodes would not, splitting the data in two. Expanded here, once, for both.
     */
    static void expandHome() {
        String dir = System.getProperty(DATA_DIR);
        if (dir != null && (dir.equals("~") || dir.startsWith("~/"))) {
            System.setProperty(DATA_DIR, System.getProperty("user.home") + dir.substring(1));
        }
    }

    @Inject
    ParentWatch parent;

    @Inject
    KvsimStartup startup;

    @Inject
    ReadyAnnouncement ready;

    @Override
    public int run(String... args) {
        try {
            parent.watch();
            ready.announce(startup.start());
        } catch (KvsimStartup.StartupFailure | java.io.UncheckedIOException e) {
            System.err.println("kvsim: " + e.getMessage());
            return 1;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
