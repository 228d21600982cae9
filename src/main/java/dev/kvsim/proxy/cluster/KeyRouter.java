package dev.kvsim.proxy.cluster;

import dev.kvsim.cluster.HashSlots;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.commands.EngineChecks;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Commands with keys on a cluster instance, as the service's proxy routes them: to the shard that
 * owns their slot; the multi-key commands it knows split by shard and their replies merged;
 * anything else whose keys span slots refused with CROSSSLOT.
 */
final class KeyRouter {

    /** The service's answer to a command whose keys are in different slots and that it does not split. */
    static final Buffer CROSSSLOT = Resp.error("CROSSSLOT Keys in request don't hash to the same slot");
    private static final byte[] SMEMBERS = "SMEMBERS".getBytes(StandardCharsets.US_ASCII);

    private final ClusterIo io;
    private final SlotMap slots;
    private final KeySpecs keySpecs;

    KeyRouter(ClusterIo io, SlotMap slots, KeySpecs keySpecs) {
        this.io = io;
        this.slots = slots;
        this.keySpecs = keySpecs;
    }

    void route(String name, RespCommand cmd) {
        List<byte[]> args = cmd.args();
        int[] keys = keySpecs.keyIndexes(name, args);
        if (keys == null) {
            // An unknown command, or one whose keys cannot be found from its arguments (none in Redis 7.0):
            // a proxy that cannot route a command does not know it.
            io.local(Resp.error(EngineChecks.unknownCommand(args)));
            return;
        }
        boolean write = keySpecs.hasFlag(name, "write");
        if (keys.length == 0) {
            if (write) {
                io.wrote(0);
            }
            io.toShard(0, cmd.frame());  // keyless: PUBLISH, and the rest, on the first shard
            return;
        }
        int slot = HashSlots.slot(args.get(keys[0]));
        boolean sameSlot = true;
        for (int k = 1; k < keys.length && sameSlot; k++) {
            sameSlot = HashSlots.slot(args.get(keys[k])) == slot;
        }
        if (sameSlot) {
            if (write) {
                io.wrote(slots.shardOf(slot));
            }
            if (name.equals("watch") || keySpecs.hasFlag(name, "blocking")) {
                io.toOwnLink(slots.shardOf(slot), cmd.frame());
            } else {
                io.toShard(slots.shardOf(slot), cmd.frame());
            }
            return;
        }
        switch (name) {
            case "del", "exists", "unlink", "touch" -> splitByKey(args, 1, ReplyMerges::sumIntegers, null, write);
            case "mget" -> splitByKey(args, 1, null, ReplyMerges::mergeMget, false);
            case "mset" -> splitByKey(args, 2, ReplyMerges::allOk, null, true);
            case "sdiff", "sinter", "sunion" -> setOperation(name, args);
            default -> io.local(CROSSSLOT);
        }
    }

    /**
     * Sends each shard the command with only its keys ({@code group} arguments per key, e.g. key
     * and value for MSET) and merges: either per shard ({@code merge}) or per key in the original
     * order ({@code perKey}, given the shards' replies and which shard each key went to).
     */
    private void splitByKey(List<byte[]> args, int group, Function<List<Buffer>, Buffer> merge,
                            ReplyMerges.PerKeyMerge perKey, boolean write) {
        Map<Integer, List<byte[]>> byShard = new LinkedHashMap<>();
        List<Integer> shardOfKey = new ArrayList<>();
        for (int i = 1; i + group <= args.size(); i += group) {
            int shard = slots.shardOf(HashSlots.slot(args.get(i)));
            shardOfKey.add(shard);
            List<byte[]> sub = byShard.computeIfAbsent(shard, s -> new ArrayList<>(List.of(args.get(0))));
            for (int g = 0; g < group; g++) {
                sub.add(args.get(i + g));
            }
        }
        List<Integer> shards = new ArrayList<>(byShard.keySet());
        if (write) {
            shards.forEach(io::wrote);
        }
        ClusterReply r = io.pending(shards.size(), parts -> merge != null ? merge.apply(parts)
                : perKey.merge(parts, shards, shardOfKey));
        for (int s = 0; s < shards.size(); s++) {
            io.shared(shards.get(s), Resp.command(byShard.get(shards.get(s))), r.part(s));
        }
    }

    /** SDIFF, SINTER, SUNION over keys on several shards: the members of each key, combined here. */
    private void setOperation(String name, List<byte[]> args) {
        int keys = args.size() - 1;
        ClusterReply r = io.pending(keys, parts -> ReplyMerges.combineSets(name, parts));
        for (int k = 0; k < keys; k++) {
            byte[] key = args.get(k + 1);
            io.shared(slots.shardOf(HashSlots.slot(key)), Resp.command(List.of(SMEMBERS, key)), r.part(k));
        }
    }
}
