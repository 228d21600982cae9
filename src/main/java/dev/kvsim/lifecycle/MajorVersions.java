package dev.kvsim.lifecycle;

import dev.kvsim.commands.MajorVersion;
import dev.kvsim.core.ServiceError;
import dev.kvsim.engine.EngineBinary;
import dev.kvsim.engine.EngineLocator;
import dev.kvsim.instance.StoredInstance;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;

/**
 * The engine major versions instances can have on the engine kvsim runs: the service's, up to the engine's
 * own line (a 6.2 engine serves 4.0 to 6.0); the engine's own is the default.
 */
@ApplicationScoped
public class MajorVersions {

    private final EngineLocator engines;

    public MajorVersions(EngineLocator engines) {
        this.engines = engines;
    }

    /** The versions an instance can be created with or upgraded to here ("4.0", … "7.0"). */
    public List<String> offered() {
        String engine = engines.engine().version();
        return Arrays.stream(MajorVersion.values()).filter(v -> v.runsOn(engine)).map(MajorVersion::label).toList();
    }

    /** The version an instance gets when none is asked for: the engine's own. */
    public MajorVersion engineOwn() {
        return MajorVersion.newestOn(engines.engine().version());
    }

    /** The version the instance runs as: the one it was created with (or upgraded to), else the engine's own. */
    public MajorVersion of(StoredInstance i) {
        return MajorVersion.ofInstance(i.majorVersion(), engines.engine().version());
    }

    /** The release of the engine kvsim runs ("7.0.15"). */
    public String engineRelease() {
        return engines.engine().version();
    }

    /**
     * A version the service offers and the engine kvsim runs can serve.
     *
     * @throws ServiceError 400 for a version the service does not offer, or one newer than kvsim's engine, naming the
     *                      engine and how to point kvsim at another
     */
    public MajorVersion require(String requested) {
        MajorVersion v = MajorVersion.of(requested).orElseThrow(() -> ServiceError.invalid("The engine version '"
                + requested + "' is not offered; choose one of " + String.join(", ", MajorVersion.labels()) + "."));
        EngineBinary engine = engines.engine();
        if (!v.runsOn(engine.version())) {
            throw ServiceError.invalid("The engine version " + requested + " is newer than the engine kvsim runs: "
                    + engine.path() + " (Redis " + engine.version() + ", " + engine.source() + "), which serves "
                    + String.join(", ", offered()) + ". To run " + requested + " instances, point kvsim at a "
                    + "redis-server " + requested + " or newer with kvsim.engine.path"
                    + " (-Dkvsim.engine.path=/path/to/redis-server) and start it again.");
        }
        return v;
    }
}
