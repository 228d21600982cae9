package dev.kvsim.proxy;

import dev.kvsim.cluster.SlotMap;
import dev.kvsim.commands.KeySpecs;

import java.util.List;

/**
 * Where one instance's proxy sends commands: each shard's master (null while the nodes are down),
 * and for a cluster instance its slot map and number of logical proxies; with the engine's command
 * table, learnt from the first node that answered (key positions and flags, for routing and for
 * command faults). Immutable; swapped whole through {@link InstanceProxy#updateRouting}.
 */
public record Routing(List<BackendTarget> masters, SlotMap slots, int proxies, KeySpecs keySpecs) {

    public static Routing standard() {
        return new Routing(null, null, 1, null);
    }

    public static Routing cluster(SlotMap slots, int proxies) {
        return new Routing(null, slots, Math.max(1, proxies), null);
    }

    public Routing withMasters(List<BackendTarget> masters) {
        return new Routing(masters == null ? null : List.copyOf(masters), slots, proxies, keySpecs);
    }

    public Routing withKeySpecs(KeySpecs keySpecs) {
        return new Routing(masters, slots, proxies, keySpecs);
    }

    public boolean isCluster() {
        return slots != null;
    }

    /** Whether commands can go anywhere: the masters are up and the command table is known. */
    public boolean running() {
        return masters != null && keySpecs != null;
    }

    /** The master of shard 0, a standard instance's only master; null while the nodes are down. */
    public BackendTarget master() {
        return masters == null ? null : masters.get(0);
    }
}
