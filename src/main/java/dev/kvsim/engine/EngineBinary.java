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

    /** Whether the engine keeps its AOF as a directory of files with a manifest (Redis 7.0 and later). */
    public boolean multiPartAof() {
        return majorVersion() >= 7;
    }

    /**
     * Whether the engine writes timestamp annotations into a multi-part AOF and can cut it at a time
     * ({@code aof-timestamp-enabled}, {@code redis-check-aof --truncate-to-timestamp}): Redis 7.0 and later.
     */
    public boolean supportsAofTimestamps() {
        return majorVersion() >= 7;
    }
}
