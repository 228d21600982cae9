package dev.kvsim.proxy.cluster;

import dev.kvsim.access.Authenticator;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.proxy.ClientSession;
import dev.kvsim.proxy.Closing;
import dev.kvsim.proxy.CommandGate;
import dev.kvsim.proxy.CommandMeter;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.Routing;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client connection of a cluster instance, as the service's proxy serves it. The session reads
 * commands, applies the service's rules ({@link CommandGate}), hands each to the handler of its kind
 * (keys: {@link KeyRouter}; Lua: {@link ClusterLua}; SCAN: {@link ClusterScan}; INFO, CONFIG, CLUSTER:
 * {@link ClusterInfo}; MULTI/EXEC/WATCH: {@link ClusterTransaction}) and writes the replies in
 * command order, whatever shard answers first. The client keeps one SELECTed database across shards.
 *
 * <p>Ordinary commands share the event loop's connections to each shard ({@link ShardMux}).
 * Blocking commands, WATCH and transactions, MONITOR and SUBSCRIBE use the client's own connection
 * to the shard ({@link ShardLink}, opened on first use), so per-connection state behaves as on the engine.
 * The client speaks RESP2, or RESP3 after HELLO 3 when the instance's proxy does ({@code proxy_resp3_enable}):
 * its shard connections then speak RESP3 too, and what the proxy answers itself follows.
 */
final class ClusterSession implements ClientSession, ClusterTransaction.Session, ClientReader.Session {

    private static final Buffer PONG = Resp.simple("PONG");
    /** The proxy's own commands, which answer the same whatever the instance's engine version. */
    private static final Set<String> PROXY_COMMANDS = Set.of("cluster", "iinfo", "iscan");

    private final InstanceProxy proxy;
    private final ClusterSessions sessions;
    private final NetSocket client;
    private final Context context;
    private final int proxyIndex;
    private final Routing routing;
    private final CommandGate gate;
    private final ClientReader reader;
    private final ShardChannels shards;
    private final ClusterTransaction transaction;
    private final KeyRouter router;
    private final ClusterLua lua;
    private final ClusterScan scan;
    private final ClusterInfo info;
    private final ConnectionCommands connection;
    private final ReplyQueue replies;
    private final CommandMeter meter;
    private NetClient netClient;
    private boolean authenticated;
    private String engineUser = Authenticator.ENGINE_DEFAULT_USER;
    /** The connection's database, name, protocol, caching and writes. */
    final ClientState state = new ClientState();
    private boolean closing;
    private boolean closed;

    ClusterSession(InstanceProxy proxy, ClusterSessions sessions, NetSocket client, int proxyIndex) {
        this.proxy = proxy;
        this.sessions = sessions;
        this.client = client;
        this.proxyIndex = proxyIndex;
        this.context = Vertx.currentContext();
        this.routing = proxy.routing();
        this.meter = new CommandMeter(proxy);
        this.replies = new ReplyQueue(client, meter, proxy.limits().outputLimit(), this::backlog);
        SlotMap slots = routing.slots();
        this.gate = new CommandGate(proxy, true, PROXY_COMMANDS);
        this.shards = new ShardChannels(this, sessions, slots.shards());
        this.transaction = new ClusterTransaction(this, slots, routing.keySpecs());
        this.router = new KeyRouter(this, slots, routing.keySpecs());
        this.lua = new ClusterLua(this, slots, sessions.scripts());
        this.scan = new ClusterScan(this);
        this.info = new ClusterInfo(this, slots, proxy, sessions, proxyIndex);
        this.connection = new ConnectionCommands(this, shards, sessions, transaction);
        this.authenticated = !proxy.policy().authenticator().required();
        this.reader = new ClientReader(this, client, context, proxy);
    }

    @Override
    public void start(NetClient netClient) {
        this.netClient = netClient;
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        if (!routing.running()) {
            proxy.refuseUnserved(client, "the instance is not running yet");
            close();
            return;
        }
        proxy.recordAttempt(true);
        client.handler(reader::onData);
    }

    int proxyIndex() {
        return proxyIndex;
    }

    String describe() {
        return "addr=" + client.remoteAddress().host() + ":" + client.remoteAddress().port()
                + " laddr=127.0.0.1:" + proxy.publicPort() + " name=" + (state.clientName == null ? "" : state.clientName)
                + " db=" + state.db + " proxy=" + proxyIndex;
    }

    InstanceProxy proxy() {
        return proxy;
    }

    @Override
    public Context context() {
        return context;
    }

    NetClient netClient() {
        return netClient;
    }

    String engineUser() {
        return engineUser;
    }

    /** HELLO switched the protocol: the client's own shard connections switch with it. */
    void protocol(int version) {
        if (version != state.protocol) {
            state.protocol = version;
            shards.eachOwn(l -> l.send(Resp.command("HELLO", Integer.toString(version)), reply -> { }));
        }
    }

    @Override
    public void wrote(int shard) {
        state.written.set(shard);
    }

    /** RESET: the connection as new (DB 0, RESP2, no name, no caching, logged out unless no password is needed). */
    void resetState() {
        state.reset();
        engineUser = Authenticator.ENGINE_DEFAULT_USER;
        authenticated = !proxy.policy().authenticator().required();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- client -> proxy ------------------------------------------------------------------------

    @Override
    public boolean authenticated() {
        return authenticated;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void received(RespCommand cmd) {
        meter.command(cmd);
        meter.awaitingReply();  // every reply, the proxy's own too, leaves through the reply queue in order
    }

    @Override
    public CommandGate.Verdict check(RespCommand cmd, boolean faults) {
        return gate.check(cmd, authenticated, faults);
    }

    @Override
    public void protocolError(RespProtocolException e) {
        proxy.logClosed(e.getMessage());
        localThenClose(e.reply());  // as the engine: its error (or nothing, past the query buffer limit), then the close
    }

    @Override
    public void afterRead() {
        shards.flush();
    }

    @Override
    public void pauseReading() {
        reader.pause();
    }

    @Override
    public void resumeReadingLater() {
        reader.resumeLater();
    }

    @Override
    public void run(RespCommand cmd, CommandGate.Verdict verdict) {
        if (verdict instanceof CommandGate.Pass) {
            dispatch(cmd.name(), cmd);
        } else if (verdict instanceof CommandGate.Refuse refuse) {
            if (transaction.isOpen()) {
                transaction.markDirty();  // EXEC then aborts, as on the engine
            }
            local(refuse.reply());
        } else if (verdict instanceof CommandGate.Fail fail) {
            transaction.failed(fail.reply());  // inside MULTI its place in EXEC's reply
        } else if (transaction.isOpen()) {
            transaction.handle(cmd.name(), cmd);  // AUTH, HELLO, CONFIG SET and QUIT inside MULTI are the transaction's
        } else if (verdict instanceof CommandGate.Answer answer) {
            local(answer.reply());
        } else if (verdict instanceof CommandGate.Close close) {
            localThenClose(close.reply());
        } else if (verdict instanceof CommandGate.Login login) {
            switchUser(login.engineUser());
            local(Resp.OK);
        } else if (verdict instanceof CommandGate.Hello hello) {
            connection.hello(hello);
        } else {
            throw new IllegalStateException("a held command is not held again: " + verdict);
        }
    }

    private void dispatch(String name, RespCommand cmd) {
        if (name.equals("reset")) {
            connection.reset();  // as on the engine, RESET also ends MULTI
            return;
        }
        if (transaction.isOpen() || name.equals("multi") || name.equals("exec") || name.equals("discard")
                || name.equals("watch") || name.equals("unwatch")) {
            transaction.handle(name, cmd);
            return;
        }
        switch (name) {
            case "select" -> connection.select(cmd);
            case "ping" -> local(cmd.argc() > 1 ? Resp.bulk(cmd.arg(1)) : PONG);
            case "echo" -> local(cmd.argc() == 2 ? Resp.bulk(cmd.arg(1)) : Replies.wrongArity(name));
            case "time" -> toShard(0, cmd.frame());
            case "dbsize" -> everyShard(cmd.frame(), ReplyMerges::sumIntegers);
            case "keys" -> everyShard(cmd.frame(), ReplyMerges::concatArrays);
            case "flushdb", "flushall" -> {
                state.written.set(0, shards.count());
                everyShard(cmd.frame(), ReplyMerges::allOk);
            }
            case "randomkey" -> everyShard(cmd.frame(), ReplyMerges::anyNonNull);
            case "config" -> info.config(cmd);
            case "cluster" -> local(ClusterInfo.cluster(cmd, proxy.publicPort(), state.resp3()));
            case "info" -> info.info(cmd);
            case "command" -> info.command(cmd);
            case "iinfo" -> info.iinfo(cmd);
            case "client" -> connection.client(cmd);
            case "eval", "eval_ro" -> lua.eval(cmd, cmd.arg(1), proxy.policy().scriptCheck());
            case "evalsha", "evalsha_ro" -> lua.evalsha(cmd, proxy.policy().scriptCheck());
            case "script" -> lua.script(cmd);
            case "fcall", "fcall_ro" -> lua.fcall(cmd, proxy.policy().scriptCheck());
            case "function" -> lua.function(cmd);
            case "wait" -> connection.waitForReplicas(cmd);
            case "scan" -> scan.scan(cmd);
            case "iscan" -> scan.iscan(cmd);
            // PUBLISH goes to the first shard; every shard's keyspace events reach its subscribers
            case "subscribe", "psubscribe", "unsubscribe", "punsubscribe" -> shards.pubSub(cmd);
            case "ssubscribe", "sunsubscribe" -> shards.own(0).sendPubSub(cmd.frame());
            case "publish", "spublish" -> toShard(0, cmd.frame());
            case "monitor" -> connection.monitor(cmd);
            default -> router.route(name, cmd);
        }
    }

    /** Logs in: open shard connections run as the account's engine user from now on; new ones start as it. */
    void switchUser(String user) {
        authenticated = true;
        if (user.equals(engineUser)) {
            return;
        }
        engineUser = user;
        shards.eachOwn(ShardLink::authenticate);
    }

    @Override
    public void quit() {
        localThenClose(Resp.OK);
    }

    // ---- replies ---------------------------------------------------------------------------------

    @Override
    public void local(Buffer reply) {
        local(reply, false);
    }

    /** A last reply: the connection closes once it is written (the flag is set before draining writes it). */
    void localThenClose(Buffer reply) {
        closing = true;
        local(reply, true);
    }

    private void local(Buffer reply, boolean closeAfter) {
        replies.local(reply, closeAfter);
    }

    @Override
    public ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge) {
        return replies.pending(parts, merge);
    }

    void drain() {
        replies.drain();
    }

    /**
     * The client's unsent replies passed their bound, or are back under it: its commands are not read
     * meanwhile; while it does not read ({@code unread}), neither are its own shard connections
     * (pub/sub messages, MONITOR), so that what it does not take waits in the engine, which applies
     * its own output limits (a subscriber past {@code client-output-buffer-limit pubsub} is closed by
     * the engine, and so by the proxy).
     */
    private void backlog(boolean overBound, boolean unread) {
        reader.backlog(overBound);
        shards.eachOwn(l -> l.clientBacklog(unread));
    }

    // ---- shards ------------------------------------------------------------------------------------

    @Override
    public int shards() {
        return shards.count();
    }

    @Override
    public void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
        shards.shared(shard, frame, onReply);
    }

    /** The client's own connection to the shard. */
    ShardLink own(int shard) {
        return shards.own(shard);
    }

    @Override
    public void sendOwn(int shard, Buffer bytes, Consumer<Buffer> onReply) {
        shards.own(shard).send(bytes, onReply);
    }

    @Override
    public void flushOwn(int shard) {
        shards.own(shard).flush();
    }

    @Override
    public void unwatchOwnLinks() {
        shards.eachOwn(l -> l.send(Resp.command("UNWATCH"), reply -> { }));
    }

    @Override
    public void watchOnOwnLink(RespCommand cmd) {
        router.route("watch", cmd);
    }

    /** The link is gone (refused, lost while idle, done after RESET): a later command opens a new one. */
    void detach(ShardLink link) {
        shards.detach(link);
    }

    /** The shard's master changed: its connections follow ({@link ClusterSessions#relink}). */
    void relinked(int shard) {
        if (!closed) {
            shards.relinked(shard);
        }
    }

    // ---- end ----------------------------------------------------------------------------------------

    /** Ends the client's connection and its own shard connections; closing again changes nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            replies.closed();
            shards.close();  // gives back its shard connection slots, once
            sessions.closed(this);
        }
        Closing.close(client);
        proxy.sessionClosed(this);
    }
}
