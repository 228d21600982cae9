package dev.kvsim.engine;

import java.nio.file.Path;

/** The redis-server (or valkey-server) executable kvsim runs for every data node. */
public record EngineBinary(Path path, String version, String source) {

    /** Major version, e.g. 7 for "7.0.15"; 0 when unknown. */
    public int majorVersion() {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The service's name of the engine's major version: "7.0" for 7.0.15 or 7.2.4, "6.0" for 6.2.14. */
    public String majorVersionName() {
        return majorVersion() + ".0";
    }
}
