package dev.kvsim.faults.model;

import java.util.List;

/**
 * Which commands a command fault applies to: names (any case) or the engine's categories
 * {@code @write} and {@code @read}; and a glob on the command's keys. Null or empty: all.
 */
public record FaultMatch(List<String> commands, String keyPattern) {
}
