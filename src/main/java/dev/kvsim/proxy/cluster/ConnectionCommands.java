package dev.kvsim.proxy.cluster;

import dev.kvsim.proxy.Replies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The commands about a cluster client's own connection, as the service's proxy answers them:
 * SELECT (one database across the shards), CLIENT (this logical proxy's clients), MONITOR (every shard).
 */
final class ConnectionCommands {

    private final ClusterSession session;
    private final ShardChannels shards;
    private final ClusterSessions sessions;

    ConnectionCommands(ClusterSession session, ShardChannels shards, ClusterSessions sessions) {
        this.session = session;
        this.shards = shards;
        this.sessions = sessions;
    }

    /** MONITOR on every shard: one +OK, then what every shard runs, as it comes. */
    void monitor(RespCommand cmd) {
        ClusterReply r = session.pending(shards.count(), ReplyMerges::allOk);
        for (int s = 0; s < shards.count(); s++) {
            ShardLink l = shards.own(s);
            Consumer<Buffer> part = r.part(s);
            l.send(cmd.frame(), reply -> {
                part.accept(reply);
                l.monitoring = !RespFrames.isError(reply);
            });
        }
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
        session.db(n);
        shards.eachOwn(l -> l.send(Resp.command("SELECT", Integer.toString(n)), reply -> { }));
        session.local(Resp.OK);
    }

    /** CLIENT LIST shows this proxy's clients; CLIENT INFO / ID are not supported, as on the service. */
    void client(RespCommand cmd) {
        switch (cmd.argLower(1)) {
            case "list" -> session.local(Resp.bulk(sessions.clientList(session.proxyIndex())));
            case "setname" -> {
                if (cmd.argc() == 3) {
                    session.clientName(cmd.argString(2));
                }
                session.local(cmd.argc() == 3 ? Resp.OK : Replies.wrongArity("client|setname"));
            }
            case "getname" -> session.local(session.clientName() == null ? Resp.NULL_BULK : Resp.bulk(session.clientName()));
            case "kill" -> session.local(sessions.kill(cmd));
            case "info", "id" -> session.local(Resp.error("ERR command 'CLIENT " + cmd.argString(1).toUpperCase(Locale.ROOT)
                    + "' not support in cluster mode"));
            default -> session.toOwnLink(0, cmd.frame());
        }
    }
}
