package dev.kvsim.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields monitoring reads from a node's {@code INFO} reply: gauges (memory, clients, keys) and running totals
 * (commands, network bytes, evictions, expirations, keyspace hits and misses), whose difference between two
 * readings makes a rate.
 */
record NodeInfo(long usedMemory, long maxMemory, long connectedClients, long keys, long expires,
                long commandsProcessed, long netInputBytes, long netOutputBytes, long evictedKeys, long expiredKeys,
                long keyspaceHits, long keyspaceMisses) {

    /** Parses INFO's {@code field:value} lines; a field the engine does not report reads as 0. */
    static NodeInfo parse(String info) {
        Map<String, String> fields = new HashMap<>();
        long keys = 0;
        long expires = 0;
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.charAt(0) == '#' || colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (name.startsWith("db") && value.startsWith("keys=")) {
                // db0:keys=12,expires=3,avg_ttl=0
                for (String part : value.split(",")) {
                    if (part.startsWith("keys=")) {
                        keys += number(part.substring(5));
                    } else if (part.startsWith("expires=")) {
                        expires += number(part.substring(8));
                    }
                }
            } else {
                fields.put(name, value);
            }
        }
        return new NodeInfo(number(fields.get("used_memory")), number(fields.get("maxmemory")),
                number(fields.get("connected_clients")), keys, expires, number(fields.get("total_commands_processed")),
                number(fields.get("total_net_input_bytes")), number(fields.get("total_net_output_bytes")),
                number(fields.get("evicted_keys")), number(fields.get("expired_keys")),
                number(fields.get("keyspace_hits")), number(fields.get("keyspace_misses")));
    }

    private static long number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
