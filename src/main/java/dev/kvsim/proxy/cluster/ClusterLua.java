package dev.kvsim.proxy.cluster;

import dev.kvsim.cluster.HashSlots;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.proxy.Replies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EVAL, EVALSHA and SCRIPT on a cluster instance, as the service's proxy runs them: numkeys above
 * zero, every key in one slot, and (with {@code script_check_enable}) every key the script touches
 * passed in KEYS, checked as it runs ({@link ClusterScripts}). Scripts are known by the user's SHA
 * on every shard, whatever shard first ran them. Functions likewise: FCALL goes to its keys' shard
 * under the same slot rules as EVAL (the same errors), and FUNCTION LOAD, DELETE, FLUSH, RESTORE and
 * KILL act on every shard, so that every shard has every library.
 */
final class ClusterLua {

    private final ClusterIo io;
    private final SlotMap slots;
    /** The users' scripts by their SHA, shared by every client of the instance. */
    private final Map<String, byte[]> scripts;

    ClusterLua(ClusterIo io, SlotMap slots, Map<String, byte[]> scripts) {
        this.io = io;
        this.slots = slots;
        this.scripts = scripts;
    }

    /** EVAL[_RO] of {@code script} (EVALSHA's, once found) with the command's keys and arguments. */
    void eval(RespCommand cmd, byte[] script, boolean check) {
        int shard = shardOfKeys(cmd, check);
        if (shard < 0) {
            return;
        }
        if (!cmd.name().endsWith("_ro")) {
            io.wrote(shard);
        }
        String userSha = ClusterScripts.sha1Hex(script);
        scripts.putIfAbsent(userSha, script);
        byte[] sent = check ? ClusterScripts.wrap(script) : script;
        String sentSha = ClusterScripts.sha1Hex(sent);
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.set(0, (cmd.name().endsWith("_ro") ? "EVAL_RO" : "EVAL").getBytes(StandardCharsets.US_ASCII));
        args.set(1, sent);
        ClusterReply r = io.pending(1, parts -> scriptReply(parts.get(0), sentSha, userSha));
        io.shared(shard, Resp.command(args), r.part(0));
    }

    /** FCALL[_RO]: on its keys' shard, under EVAL's slot rules; the engine runs the function as loaded. */
    void fcall(RespCommand cmd, boolean check) {
        int shard = shardOfKeys(cmd, check);
        if (shard < 0) {
            return;
        }
        if (!cmd.name().endsWith("_ro")) {
            io.wrote(shard);
        }
        io.toShard(shard, cmd.frame());
    }

    /**
     * FUNCTION on every shard, merged: what changes libraries answers the first shard's reply unless a
     * shard failed; LIST and DUMP are the first shard's (every shard has the same libraries); STATS
     * names the function running on any shard; KILL succeeds where one runs. HELP and errors are the
     * first shard's.
     */
    void function(RespCommand cmd) {
        switch (cmd.argc() < 2 ? "" : cmd.argLower(1)) {
            case "load", "delete", "flush", "restore" -> {
                for (int s = 0; s < io.shards(); s++) {
                    io.wrote(s);
                }
                io.everyShard(cmd.frame(), ReplyMerges::firstUnlessError);
            }
            case "list", "dump" -> io.everyShard(cmd.frame(), ReplyMerges::firstUnlessError);
            case "stats" -> io.everyShard(cmd.frame(), ReplyMerges::functionStats);
            case "kill" -> io.everyShard(cmd.frame(), ReplyMerges::anyOk);
            default -> io.toShard(0, cmd.frame());
        }
    }

    /**
     * The shard of a script's keys, after the service's checks: numkeys above zero (with
     * {@code script_check_enable}), every key in one slot; -1 when a check failed and its error is answered.
     */
    private int shardOfKeys(RespCommand cmd, boolean check) {
        if (cmd.argc() < 3) {
            io.local(Replies.wrongArity(cmd.name()));
            return -1;
        }
        long numkeys;
        try {
            numkeys = Long.parseLong(cmd.argString(2));
        } catch (NumberFormatException e) {
            io.local(Replies.NOT_AN_INTEGER);
            return -1;
        }
        if (numkeys > cmd.argc() - 3) {
            io.local(Resp.error("ERR Number of keys can't be greater than number of args"));
            return -1;
        }
        if (check && numkeys <= 0) {
            io.local(Resp.error("ERR for redis cluster, eval/evalsha number of keys can't be negative or zero"));
            return -1;
        }
        if (numkeys <= 0) {
            return 0;
        }
        int slot = HashSlots.slot(cmd.arg(3));
        for (int k = 1; k < numkeys; k++) {
            if (HashSlots.slot(cmd.arg(3 + k)) != slot) {
                io.local(check ? Resp.error("ERR eval/evalsha command keys must in same slot") : KeyRouter.CROSSSLOT);
                return -1;
            }
        }
        return slots.shardOf(slot);
    }

    /** The engine's reply to a wrapped script, in the words the service (and the user's SHA) would use. */
    private static Buffer scriptReply(Buffer reply, String sentSha, String userSha) {
        if (!RespFrames.isError(reply)) {
            return reply;
        }
        String text = reply.getString(1, reply.length() - 2, "UTF-8");
        if (ClusterScripts.isKeyCheckFailure(text)) {
            return Resp.error(ClusterScripts.KEYS_NOT_IN_KEYS_ARRAY);
        }
        return Resp.error(ClusterScripts.withUserSha(text, sentSha, userSha));
    }

    void evalsha(RespCommand cmd, boolean check) {
        if (cmd.argc() < 3) {
            io.local(Replies.wrongArity(cmd.name()));
            return;
        }
        byte[] script = scripts.get(cmd.argString(1).toLowerCase(Locale.ROOT));
        if (script == null) {
            io.local(Resp.error("NOSCRIPT No matching script. Please use EVAL."));
            return;
        }
        eval(cmd, script, check);
    }

    /** SCRIPT LOAD answers the user's SHA (checked by the engine); EXISTS and FLUSH cover every shard. */
    void script(RespCommand cmd) {
        switch (cmd.argLower(1)) {
            case "load" -> {
                if (cmd.argc() != 3) {
                    io.local(Replies.wrongArity("script|load"));
                    return;
                }
                byte[] script = cmd.arg(2);
                ClusterReply r = io.pending(1, parts -> {
                    if (!RespFrames.isError(parts.get(0))) {
                        scripts.putIfAbsent(ClusterScripts.sha1Hex(script), script);
                    }
                    return parts.get(0);
                });
                io.shared(0, cmd.frame(), r.part(0));
            }
            case "exists" -> {
                List<Buffer> answers = new ArrayList<>();
                for (int i = 2; i < cmd.argc(); i++) {
                    answers.add(Resp.integer(scripts.containsKey(cmd.argString(i).toLowerCase(Locale.ROOT)) ? 1 : 0));
                }
                io.local(Resp.array(answers));
            }
            case "flush" -> {
                scripts.clear();
                io.everyShard(cmd.frame(), ReplyMerges::allOk);
            }
            default -> io.toShard(0, cmd.frame());
        }
    }
}
