package dev.kvsim.lifecycle;


/**
 * Whether kvsim is still starting. The admin API listens before kvsim has restored its stored
 * instances; a call in that window (a launcher polling for the API, a test suite in a hurry) would race
 * the restore, so the API answers 503 until {@link KvsimStartup#start()} is done. Closed only by kvsim's
 * main: an application started without it (a {@code @QuarkusTest}) restores nothing and is never gated.
 */
public final class StartupGate {

    private static volatile boolean starting;

    private StartupGate() {
    }

    /** Called by the main before Quarkus starts the API. */
    public static void closeUntilStarted() {
        starting = true;
    }

    static void open() {
        starting = false;
    }

    public static boolean isStarting() {
        return starting;
    }
}
