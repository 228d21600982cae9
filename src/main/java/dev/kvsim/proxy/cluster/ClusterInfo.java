package dev.kvsim.proxy.cluster;

import dev.kvsim.cluster.HashSlots;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.proxy.ConfigGetMask;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.VersionReplies;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What a cluster instance tells a client about itself: INFO (the shards' merged, with the client's
 * logical proxy), the proxy's INFO KEY and IINFO, CONFIG GET as the instance's, COMMAND and INFO's
 * version as its engine major version's, and CLUSTER as a cluster-aware client needs it (one node,
 * this endpoint, serving every slot).
 */
final class ClusterInfo {

    /** The proxy's node ID in CLUSTER NODES / SLOTS. */
    static final String PROXY_NODE_ID = "a".repeat(40);
    private static final byte[] INFO = "INFO".getBytes(StandardCharsets.US_ASCII);

    private final ClusterIo io;
    private final SlotMap slots;
    private final InstanceProxy proxy;
    private final ClusterSessions sessions;
    private final int proxyIndex;

    ClusterInfo(ClusterIo io, SlotMap slots, InstanceProxy proxy, ClusterSessions sessions, int proxyIndex) {
        this.io = io;
        this.slots = slots;
        this.proxy = proxy;
        this.sessions = sessions;
        this.proxyIndex = proxyIndex;
    }

    /** INFO KEY <key> is the proxy's; other INFO is the first shard's, with the keyspace of all. */
    void info(RespCommand cmd) {
        if (cmd.argc() == 3 && cmd.argLower(1).equals("key")) {
            int slot = HashSlots.slot(cmd.arg(2));
            io.local(Resp.bulk("slot:" + slot + " node_index:" + slots.shardOf(slot)));
            return;
        }
        io.everyShard(cmd.frame(), parts -> withProxySection(versioned(cmd, ReplyMerges.mergeInfo(parts))));
    }

    /** COMMAND, on the first shard, lists the commands of the instance's version. */
    void command(RespCommand cmd) {
        UnaryOperator<Buffer> rewrite = VersionReplies.of(cmd, proxy.policy().version(), proxy.routing().keySpecs());
        if (rewrite == null) {
            io.toShard(0, cmd.frame());
        } else {
            ClusterReply r = io.pending(1, parts -> rewrite.apply(parts.get(0)));
            io.shared(0, cmd.frame(), r.part(0));
        }
    }

    /** A reply as the instance's version gives it (INFO's redis_version). */
    private Buffer versioned(RespCommand cmd, Buffer reply) {
        UnaryOperator<Buffer> rewrite = VersionReplies.of(cmd, proxy.policy().version(), proxy.routing().keySpecs());
        return rewrite == null ? reply : rewrite.apply(reply);
    }

    /** INFO of a cluster instance ends with the client's logical proxy and its connections. */
    private Buffer withProxySection(Buffer info) {
        if (RespFrames.isError(info)) {
            return info;
        }
        String text = new String(RespFrames.bulk(info), StandardCharsets.UTF_8);
        return Resp.verbatim(text + "\r\n# Proxy\r\nproxy_index:" + proxyIndex + "\r\nproxies:" + proxy.routing().proxies()
                + "\r\nproxy_connected_clients:" + sessions.clientsOf(proxyIndex) + "\r\nshards:" + io.shards() + "\r\n",
                RespFrames.type(info) == '=');
    }

    /** IINFO <shard> [section]: INFO of one shard. */
    void iinfo(RespCommand cmd) {
        int shard = cmd.argc() >= 2 ? io.shardIndex(cmd.argString(1)) : -1;
        if (shard < 0) {
            io.local(io.invalidShard());
            return;
        }
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.remove(1);
        args.set(0, INFO);
        ClusterReply r = io.pending(1, parts -> versioned(cmd, parts.get(0)));
        io.shared(shard, Resp.command(args), r.part(0));
    }

    /** CONFIG GET shows the instance's port, cap and no passwords (CONFIG SET never gets here: the gate answers it). */
    void config(RespCommand cmd) {
        if (cmd.argLower(1).equals("get")) {
            ConfigGetMask mask = ConfigGetMask.of(proxy);
            ClusterReply r = io.pending(1, parts -> mask.apply(parts.get(0)));
            io.shared(0, cmd.frame(), r.part(0));
        } else {
            io.toShard(0, cmd.frame());
        }
    }

    /**
     * CLUSTER KEYSLOT|INFO|NODES|SLOTS|SHARDS as a cluster-aware client needs them: one node, this
     * endpoint, serving every slot, so that the client sends everything here; in the engine's types
     * for the client's protocol.
     */
    static Buffer cluster(RespCommand cmd, int port, boolean resp3) {
        String sub = cmd.argLower(1);
        switch (sub) {
            case "keyslot" -> {
                return cmd.argc() == 3 ? Resp.integer(HashSlots.slot(cmd.arg(2)))
                        : Replies.wrongArity("cluster|keyslot");
            }
            case "info" -> {
                return Resp.verbatim("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"
                        + "cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:1\r\ncluster_size:1\r\n"
                        + "cluster_current_epoch:1\r\ncluster_my_epoch:1\r\n", resp3);
            }
            case "nodes" -> {
                return Resp.verbatim(PROXY_NODE_ID + " 127.0.0.1:" + port + "@" + port
                        + " myself,master - 0 0 1 connected 0-16383\n", resp3);
            }
            case "slots" -> {
                Buffer node = Resp.array(List.of(Resp.bulk("127.0.0.1"), Resp.integer(port), Resp.bulk(PROXY_NODE_ID)));
                return Resp.array(List.of(Resp.array(List.of(Resp.integer(0), Resp.integer(16383), node))));
            }
            case "shards" -> {
                Buffer node = Resp.map(List.of(Resp.bulk("id"), Resp.bulk(PROXY_NODE_ID), Resp.bulk("port"),
                        Resp.integer(port), Resp.bulk("ip"), Resp.bulk("127.0.0.1"), Resp.bulk("endpoint"),
                        Resp.bulk("127.0.0.1"), Resp.bulk("role"), Resp.bulk("master"), Resp.bulk("replication-offset"),
                        Resp.integer(0), Resp.bulk("health"), Resp.bulk("online")), resp3);
                Buffer shard = Resp.map(List.of(Resp.bulk("slots"), Resp.array(List.of(Resp.integer(0), Resp.integer(16383))),
                        Resp.bulk("nodes"), Resp.array(List.of(node))), resp3);
                return Resp.array(List.of(shard));
            }
            default -> {
                return Resp.error("ERR command 'CLUSTER " + cmd.argString(1).toUpperCase(Locale.ROOT)
                        + "' not support for normal user");
            }
        }
    }
}
