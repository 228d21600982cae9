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
}
