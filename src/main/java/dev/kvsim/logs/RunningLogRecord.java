package dev.kvsim.logs;

import java.time.Instant;

/**
 * One line of an instance's running log: an event of kvsim's ({@code source} {@code kvsim}: a failover, a fault, a
 * restart …) or a line of a node's own log file ({@code source} {@code node}, with the node, its shard and role, and
 * the engine's level: {@code debug}, {@code verbose}, {@code notice} or {@code warning}).
 */
public record RunningLogRecord(Instant at, String source, String nodeId, Integer shard, String role, String level,
                               String content) {

    public static final String KVSIM = "kvsim";
    public static final String NODE = "node";
}
