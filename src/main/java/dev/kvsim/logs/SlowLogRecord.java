package dev.kvsim.logs;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a node's SLOWLOG, as kvsim collected it: the node and shard it ran on, the node's role then, the
 * engine's own entry ID, when it ran (kvsim's clock), how long it took, the command as the engine logged it (at most
 * 32 arguments, each at most 128 characters) and the connection the node saw it on.
 */
public record SlowLogRecord(String instanceId, String nodeId, int shard, String role, long entryId, Instant executedAt,
                            long durationUs, List<String> command, String clientAddress, String clientName) {

    /** The command as one line, arguments separated by spaces. */
    public String commandLine() {
        return String.join(" ", command);
    }
}
