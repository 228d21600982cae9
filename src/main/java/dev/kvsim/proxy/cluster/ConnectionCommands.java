package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.CommandGate;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.VersionReplies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The commands about a cluster client's own connection, as the service's proxy answers them:
 * SELECT (one database across the shards), HELLO (the protocol, on every shard connection), RESET,
 * CLIENT (this logical proxy's clients; client-side caching on every shard), MONITOR (every shard)
 * and WAIT (the shards the client wrote to).
 */
final class ConnectionCommands {

    private static final Buffer PING = Resp.command("PING");
    private static final Buffer RESET = Resp.simple("RESET");

    private final ClusterSession session;
    private final ShardChannels shards;
    private final ClusterSessions sessions;
    private final ClusterTransaction transaction;
    private final ClientState state;

    ConnectionCommands(ClusterSession session, ShardChannels shards, ClusterSessions sessions,
                       ClusterTransaction transaction) {
        this.session = session;
        this.shards = shards;
        this.sessions = sessions;
        this.transaction = transaction;
        this.state = session.state;
    }

    /** MONITOR on every shard: one +OK, then what every shard runs, as it comes. */
    void monitor(RespCommand cmd) {
        sendToEveryOwn(cmd.frame(), ReplyMerges::allOk, (l, reply) -> l.monitoring = !RespFrames.isError(reply));
    }

    void select(RespCommand cmd) {
        if (cmd.argc() != 2) {
            session.local(Replies.wrongArity("select"));
            return;
        }
        int n;
        try {
            n = Integer.parseInt(cmd.argString(1));
        } catch (NumberFormatException e) {
            session.local(Replies.NOT_AN_INTEGER);
            return;
        }
        if (n < 0 || n > 255) {
            session.local(Resp.error("ERR DB index is out of range"));
            return;
        }
        state.db = n;
        shards.eachOwn(l -> l.send(Resp.command("SELECT", Integer.toString(n)), reply -> { }));
        session.local(Resp.OK);
    }

    /**
     * HELLO (the gate checked its AUTH, and refused 3 when the proxy does not speak it): a valid
     * version and SETNAME are the connection's from now on, and the first shard answers HELLO in that
     * protocol. Anything else the engine refuses with its own error, on the client's own connection.
     */
    void hello(CommandGate.Hello hello) {
        String protover = hello.protover();
        if (protover == null) {
            helloReply(Resp.command("HELLO"));
            return;
        }
        if (!(protover.equals("2") || protover.equals("3")) || !onlySetName(hello.forward())) {
            session.toOwnLink(0, Resp.command(hello.forward()));
            return;
        }
        if (hello.clientName() != null && !validName(hello.clientName())) {
            session.local(Replies.INVALID_CLIENT_NAME);
            return;
        }
        if (hello.engineUser() != null) {
            session.switchUser(hello.engineUser());
        }
        if (hello.clientName() != null) {
            state.clientName = hello.clientName();
        }
        session.protocol(Integer.parseInt(protover));
        helloReply(Resp.command("HELLO", protover));
    }

    /** The first shard's answer to HELLO, with the instance's version. */
    private void helloReply(Buffer hello) {
        UnaryOperator<Buffer> version = VersionReplies.hello(session.proxy().policy().version());
        if (version == null) {
            session.toShard(0, hello);
        } else {
            ClusterReply r = session.pending(1, parts -> version.apply(parts.get(0)));
            session.shared(0, hello, r.part(0));
        }
    }

    /** Whether the options after the version (AUTH already taken out) are SETNAME pairs only. */
    private static boolean onlySetName(List<byte[]> forward) {
        for (int i = 2; i < forward.size(); i += 2) {
            if (!new String(forward.get(i), StandardCharsets.UTF_8).equalsIgnoreCase("setname") || i + 1 >= forward.size()) {
                return false;
            }
        }
        return true;
    }

    /** The engine's rule for client names: printable, no spaces. */
    private static boolean validName(String name) {
        return name.chars().allMatch(c -> c >= '!' && c <= '~');
    }

    /**
     * RESET, as the engine runs it: MULTI and WATCH end, subscriptions, MONITOR and client-side caching
     * with the client's own shard connections, and the connection is back on DB 0 in RESP2, without a
     * name, and logged out when the instance needs a password.
     */
    void reset() {
        transaction.reset();
        shards.retireAll();
        session.resetState();
        session.local(RESET);
    }

    /** CLIENT LIST shows this proxy's clients; CLIENT INFO / ID are not supported, as on the service. */
    void client(RespCommand cmd) {
        switch (cmd.argLower(1)) {
            case "list" -> session.local(Resp.verbatim(sessions.clientList(session.proxyIndex()), state.resp3()));
            case "setname" -> {
                if (cmd.argc() != 3) {
                    session.local(Replies.wrongArity("client|setname"));
                } else if (!validName(cmd.argString(2))) {
                    session.local(Replies.INVALID_CLIENT_NAME);
                } else {
                    state.clientName = cmd.argString(2).isEmpty() ? null : cmd.argString(2);
                    session.local(Resp.OK);
                }
            }
            case "getname" -> session.local(state.clientName == null ? Resp.nullReply(state.resp3())
                    : Resp.bulk(state.clientName));
            case "kill" -> session.local(sessions.kill(cmd));
            case "info", "id" -> session.local(Resp.error("ERR command 'CLIENT " + cmd.argString(1).toUpperCase(Locale.ROOT)
                    + "' not support in cluster mode"));
            case "tracking" -> tracking(cmd);
            case "caching" -> sendToEveryOwn(cmd.frame(), ReplyMerges::allOk, (l, reply) -> { });
            default -> {
                session.own(0).holdsState();
                session.toOwnLink(0, cmd.frame());
            }
        }
    }

    /**
     * CLIENT TRACKING on every shard's connection of the client's own, where, from now on, every command
     * of the client runs, so that each shard tracks what the client read (or, with BCAST, its
     * prefixes) and its invalidations reach the client.
     */
    private void tracking(RespCommand cmd) {
        boolean on = cmd.argc() >= 3 && cmd.argLower(2).equals("on");
        boolean before = state.tracking;
        state.tracking = on;
        sendToEveryOwn(cmd.frame(), parts -> {
            Buffer merged = ReplyMerges.allOk(parts);
            if (RespFrames.isError(merged)) {
                state.tracking = before;
            }
            return merged;
        }, (l, reply) -> { });
    }

    /**
     * WAIT on every shard this client wrote to (the first shard if none), on its own connections, once
     * the client's earlier commands are answered: the fewest replicas that acknowledged, so that every
     * write of the client has at least that many copies.
     */
    void waitForReplicas(RespCommand cmd) {
        BitSet written = (BitSet) state.written.clone();
        if (written.isEmpty()) {
            written.set(0);
        }
        int[] targets = written.stream().toArray();
        Buffer frame = cmd.frame().copy();
        ClusterReply r = session.pending(targets.length, ReplyMerges::minInteger);
        r.onHead = () -> {
            for (int i = 0; i < targets.length; i++) {
                ShardLink link = shards.own(targets[i]);
                // The engine's WAIT counts from the connection's last command: this PING is after every write.
                link.send(PING, reply -> { });
                link.send(frame, r.part(i));
                link.flush();
            }
        };
        session.drain();
    }

    /** The same command on each shard's connection of the client's own; {@code each} sees each shard's reply. */
    private void sendToEveryOwn(Buffer frame, Function<List<Buffer>, Buffer> merge, BiConsumer<ShardLink, Buffer> each) {
        ClusterReply r = session.pending(shards.count(), merge);
        for (int s = 0; s < shards.count(); s++) {
            ShardLink l = shards.own(s);
            l.holdsState();
            Consumer<Buffer> part = r.part(s);
            l.send(frame, reply -> {
                part.accept(reply);
                each.accept(l, reply);
            });
        }
    }
}
