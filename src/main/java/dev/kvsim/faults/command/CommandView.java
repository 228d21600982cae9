package dev.kvsim.faults.command;

import java.util.List;

/**
 * What a command fault may look at: the command's name (lower case), its keys, the shard it goes
 * to (0 on a standard instance) and the engine's write/read flags for it.
 */
public record CommandView(String name, List<byte[]> keys, int shard, boolean write, boolean readOnly) {
}
