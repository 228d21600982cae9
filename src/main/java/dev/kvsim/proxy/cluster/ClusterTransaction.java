package dev.kvsim.proxy.cluster;

import dev.kvsim.commands.EngineChecks;
import dev.kvsim.cluster.HashSlots;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.proxy.Replies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * MULTI/EXEC/WATCH of one cluster client, as the service runs them: queued by the proxy; at EXEC
 * each shard runs its commands in its own MULTI/EXEC, so the transaction is atomic per shard. A
 * command whose own keys span slots fails alone (CROSSSLOT in EXEC's reply); keyless commands are
 * refused inside MULTI; what the engine would refuse at queue time aborts the whole transaction.
 */
final class ClusterTransaction {

    /** What a transaction needs of its client's session, beyond sending and replying ({@link ClusterIo}). */
    interface Session extends ClusterIo {
        void flushOwn(int shard);

        /** UNWATCH on every own shard connection the client has open. */
        void unwatchOwnLinks();

        /** WATCH on the keys' shard, on this client's own connection there. */
        void watchOnOwnLink(RespCommand cmd);

        /** Stops reading the client's commands (they wait, in order). */
        void pauseReading();

        /** Reads on, from the next event-loop pass. */
        void resumeReadingLater();

        void quit();
    }

    /** A queued command: its shard and bytes, or, for one that runs nowhere, its answer in EXEC's reply (CROSSSLOT ...). */
    private record QueuedCommand(int shard, Buffer frame, Buffer reply) {
    }

    private final Session session;
    private final SlotMap slots;
    private final KeySpecs keySpecs;
    /** The commands queued since MULTI; null outside MULTI. */
    private List<QueuedCommand> queue;
    private boolean dirty;
    /** The shards this client has WATCHed keys on since its last EXEC, DISCARD or UNWATCH. */
    private final BitSet watched = new BitSet();

    ClusterTransaction(Session session, SlotMap slots, KeySpecs keySpecs) {
        this.session = session;
        this.slots = slots;
        this.keySpecs = keySpecs;
    }

    /** Inside MULTI: every command comes here. */
    boolean isOpen() {
        return queue != null;
    }

    /** RESET: no MULTI and no WATCH (the engine forgets the watches with the client's own connections). */
    void reset() {
        queue = null;
        dirty = false;
        watched.clear();
    }

    /** A command refused inside MULTI: EXEC then aborts, as on the engine. */
    void markDirty() {
        dirty = true;
    }

    /**
     * A command the engine of the instance's version would run and fail: its error now, or inside MULTI
     * {@code +QUEUED} and the error in its place in EXEC's reply (the rest of the transaction runs).
     */
    void failed(Buffer error) {
        if (queue == null) {
            session.local(error);
            return;
        }
        queue.add(new QueuedCommand(-1, null, error));
        session.local(Replies.QUEUED);
    }

    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH, and every command inside MULTI. */
    void handle(String name, RespCommand cmd) {
        switch (name) {
            case "multi" -> {
                if (queue != null) {
                    session.local(Resp.error("ERR MULTI calls can not be nested"));
                    return;
                }
                queue = new ArrayList<>();
                dirty = false;
                session.local(Resp.OK);
            }
            case "discard" -> {
                if (queue == null) {
                    session.local(Resp.error("ERR DISCARD without MULTI"));
                    return;
                }
                queue = null;
                unwatchAll();
                session.local(Resp.OK);
            }
            case "exec" -> exec();
            case "watch" -> watch(cmd);
            case "unwatch" -> {
                if (queue == null) {
                    unwatchAll();
                    session.local(Resp.OK);
                } else {
                    enqueue(name, cmd);
                }
            }
            case "quit" -> session.quit();  // never queued, as on the engine
            default -> enqueue(name, cmd);
        }
    }

    /** WATCH on the keys' shard, on this client's own connection there; EXEC checks that shard. */
    private void watch(RespCommand cmd) {
        if (queue != null) {
            session.local(Resp.error("ERR WATCH inside MULTI is not allowed"));
            return;
        }
        int[] keys = keySpecs.keyIndexes("watch", cmd.args());
        if (keys != null && keys.length > 0) {
            watched.set(slots.shardOf(HashSlots.slot(cmd.arg(keys[0]))));
        }
        session.watchOnOwnLink(cmd);
    }

    /**
     * Queues a command, refusing at once what the engine would refuse (unknown command, wrong number of
     * arguments: the engine's own text, then EXECABORT, as a single Redis) and what the service's proxy
     * refuses inside MULTI (keyless commands, scripts).
     */
    private void enqueue(String name, RespCommand cmd) {
        List<byte[]> args = cmd.args();
        boolean proxyOwn = name.equals("iinfo") || name.equals("iscan");
        String refusal = proxyOwn ? null : EngineChecks.refusal(keySpecs, args);
        if (refusal == null && name.equals("unwatch")) {
            queue.add(new QueuedCommand(-1, null, Resp.OK));  // EXEC checks the watches before it
            session.local(Replies.QUEUED);
            return;
        }
        int[] keys = refusal == null ? keySpecs.keyIndexes(name, args) : null;
        if (refusal == null && (keys == null || keys.length == 0 || name.startsWith("eval") || name.startsWith("fcall"))) {
            refusal = "ERR '" + name.toUpperCase(Locale.ROOT) + "' inside MULTI is not allowed on cluster "
                    + "instances: only commands with keys can be queued";
        }
        if (refusal != null) {
            dirty = true;
            session.local(Resp.error(refusal));
            return;
        }
        int slot = HashSlots.slot(args.get(keys[0]));
        for (int k = 1; k < keys.length; k++) {
            if (HashSlots.slot(args.get(keys[k])) != slot) {
                queue.add(new QueuedCommand(-1, null, KeyRouter.CROSSSLOT));
                session.local(Replies.QUEUED);
                return;
            }
        }
        queue.add(new QueuedCommand(slots.shardOf(slot), cmd.frame().copy(), null));
        session.local(Replies.QUEUED);
    }

    /**
     * Each shard runs its commands in its own MULTI/EXEC. The shards with WATCHed keys run first (with
     * nothing queued, an empty MULTI/EXEC checks and clears their watches); the others run only if none
     * of them answered nil, and meanwhile the client's next commands wait.
     */
    private void exec() {
        if (queue == null) {
            session.local(Resp.error("ERR EXEC without MULTI"));
            return;
        }
        List<QueuedCommand> queued = queue;
        queue = null;
        if (dirty) {
            unwatchAll();
            session.local(Replies.EXECABORT);
            return;
        }
        Map<Integer, List<Integer>> positionsByShard = new LinkedHashMap<>();
        watched.stream().forEach(s -> positionsByShard.put(s, new ArrayList<>()));
        int first = watched.cardinality();
        watched.clear();
        for (int p = 0; p < queued.size(); p++) {
            if (queued.get(p).frame() != null) {
                positionsByShard.computeIfAbsent(queued.get(p).shard(), s -> new ArrayList<>()).add(p);
            }
        }
        List<Integer> shards = new ArrayList<>(positionsByShard.keySet());
        ClusterReply r = session.pending(shards.size(), parts -> execReply(queued, shards, positionsByShard, parts));
        if (first == 0 || first == shards.size()) {
            for (int s = 0; s < shards.size(); s++) {
                execOnShard(shards.get(s), queued, positionsByShard, r.part(s));
            }
            return;
        }
        session.pauseReading();
        int[] waiting = {first};
        Buffer[] failed = {null};
        for (int s = 0; s < first; s++) {
            Consumer<Buffer> part = r.part(s);
            execOnShard(shards.get(s), queued, positionsByShard, reply -> {
                if (!isExecArray(reply) && failed[0] == null) {
                    failed[0] = reply;
                }
                part.accept(reply);
                if (--waiting[0] > 0) {
                    return;
                }
                for (int t = first; t < shards.size(); t++) {
                    if (failed[0] != null) {
                        r.part(t).accept(failed[0]);  // not run: EXEC answers the watched shard's nil
                    } else {
                        execOnShard(shards.get(t), queued, positionsByShard, r.part(t));
                        session.flushOwn(shards.get(t));
                    }
                }
                session.resumeReadingLater();
            });
        }
    }

    private void execOnShard(int shard, List<QueuedCommand> queued, Map<Integer, List<Integer>> positionsByShard,
                             Consumer<Buffer> onExec) {
        if (!positionsByShard.get(shard).isEmpty()) {
            session.wrote(shard);
        }
        session.sendOwn(shard, Resp.command("MULTI"), reply -> { });
        for (int p : positionsByShard.get(shard)) {
            session.sendOwn(shard, queued.get(p).frame(), reply -> { });
        }
        session.sendOwn(shard, Resp.command("EXEC"), onExec);
    }

    /** EXEC's reply: each shard's results in the commands' places, or the first shard's nil or error as it is. */
    private static Buffer execReply(List<QueuedCommand> queued, List<Integer> shards,
                                    Map<Integer, List<Integer>> positionsByShard, List<Buffer> parts) {
        Buffer[] results = new Buffer[queued.size()];
        for (int p = 0; p < queued.size(); p++) {
            results[p] = queued.get(p).reply();
        }
        for (int s = 0; s < shards.size(); s++) {
            Buffer exec = parts.get(s);
            if (!isExecArray(exec)) {
                return exec;  // EXECABORT or a nil (a WATCHed key changed): shown as the engine said it
            }
            List<Buffer> values = RespFrames.elements(exec);
            List<Integer> positions = positionsByShard.get(shards.get(s));
            for (int v = 0; v < values.size(); v++) {
                results[positions.get(v)] = values.get(v);
            }
        }
        return Resp.array(List.of(results));
    }

    private static boolean isExecArray(Buffer reply) {
        return reply.getByte(0) == '*' && reply.getByte(1) != '-';
    }

    private void unwatchAll() {
        watched.clear();
        session.unwatchOwnLinks();
    }
}
