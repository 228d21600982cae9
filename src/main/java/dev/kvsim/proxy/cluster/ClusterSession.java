package dev.kvsim.proxy.cluster;

import dev.kvsim.access.Authenticator;
import dev.kvsim.cluster.SlotMap;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.proxy.ClientSession;
import dev.kvsim.proxy.CommandGate;
import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.Replies;
import dev.kvsim.proxy.Routing;
import dev.kvsim.proxy.Throttle;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespFrames;
import dev.kvsim.resp.RespProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.Locale;
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
 */
final class ClusterSession implements ClientSession, ClusterTransaction.Session {

    private static final Buffer PONG = Resp.simple("PONG");

    private final InstanceProxy proxy;
    private final ClusterSessions sessions;
    private final NetSocket client;
    private final Context context;
    private final int proxyIndex;
    private final Routing routing;
    private final CommandGate gate;
    private final RespCommandParser parser = new RespCommandParser();
    private final ShardChannels shards;
    private final ClusterTransaction transaction;
    private final KeyRouter router;
    private final ClusterLua lua;
    private final ClusterScan scan;
    private final ClusterInfo info;
    private final ConnectionCommands connection;
    private final ReplyQueue replies;
    private NetClient netClient;
    private boolean authenticated;
    private String engineUser = Authenticator.ENGINE_DEFAULT_USER;
    private int db;
    private String clientName;
    private boolean closing;
    private boolean closed;
    private int commandsRead;
    /** While reading is paused (a delay fault, an EXEC waiting on its first shards): what the client sent meanwhile. */
    private Buffer held;

    ClusterSession(InstanceProxy proxy, ClusterSessions sessions, NetSocket client, int proxyIndex) {
        this.proxy = proxy;
        this.sessions = sessions;
        this.client = client;
        this.proxyIndex = proxyIndex;
        this.context = Vertx.currentContext();
        this.routing = proxy.routing();
        this.replies = new ReplyQueue(client);
        SlotMap slots = routing.slots();
        this.gate = new CommandGate(proxy, 2);
        this.shards = new ShardChannels(this, sessions, slots.shards());
        this.transaction = new ClusterTransaction(this, slots, routing.keySpecs());
        this.router = new KeyRouter(this, slots, routing.keySpecs());
        this.lua = new ClusterLua(this, slots, sessions.scripts());
        this.scan = new ClusterScan(this);
        this.info = new ClusterInfo(this, slots, proxy, sessions, proxyIndex);
        this.connection = new ConnectionCommands(this, shards, sessions);
        this.authenticated = !proxy.policy().authenticator().required();
    }

    @Override
    public void start(NetClient netClient) {
        this.netClient = netClient;
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        boolean running = routing.running();
        proxy.recordAttempt(running);
        if (!running) {
            client.end(Resp.error("ERR kvsim: the instance is not running yet"));
            close();
            return;
        }
        client.handler(this::onClientData);
    }

    int proxyIndex() {
        return proxyIndex;
    }

    String describe() {
        return "addr=" + client.remoteAddress().host() + ":" + client.remoteAddress().port()
                + " laddr=127.0.0.1:" + proxy.publicPort() + " name=" + (clientName == null ? "" : clientName)
                + " db=" + db + " proxy=" + proxyIndex;
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

    int db() {
        return db;
    }

    void db(int db) {
        this.db = db;
    }

    String clientName() {
        return clientName;
    }

    void clientName(String name) {
        this.clientName = name;
    }

    String engineUser() {
        return engineUser;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- client -> proxy ------------------------------------------------------------------------

    private void onClientData(Buffer data) {
        if (closing) {
            return;
        }
        if (held != null) {
            // a throttle resumed the socket while a delay fault holds a command: keep the bytes for after it
            held.appendBuffer(data);
            client.pause();
            return;
        }
        try {
            parser.feed(data, authenticated, this::onCommand);
        } catch (RespProtocolException e) {
            localThenClose(Resp.error(e.getMessage()));
        }
        shards.flush();
        TrafficShaper shaper = proxy.policy().shaper();
        long wait = shaper == null ? 0 : Math.max(shaper.upstream(data.length()), shaper.commands(commandsRead));
        commandsRead = 0;
        if (wait > 0) {
            // Over the instance's bandwidth or QPS: stop reading this client for a while, never refuse.
            Throttle.pause(client, context, wait);
        }
    }

    private boolean onCommand(RespCommand cmd) {
        commandsRead++;
        if (closing) {
            return true;
        }
        CommandGate.Verdict verdict = gate.check(cmd, authenticated, true);
        if (verdict instanceof CommandGate.Delay delay) {
            holdBack(cmd.frame().copy(), delay.ms());
            return false;  // the parser keeps the commands after it until it has run
        }
        run(cmd, verdict);
        return held == null;  // an EXEC waiting on its first shards holds the rest back
    }

    /** A delay fault: stop reading, run the command after the delay, then the ones the parser held. */
    private void holdBack(Buffer frame, long delayMs) {
        pauseReading();
        context.owner().setTimer(Math.max(1, delayMs), t -> resumeReading(() -> {
            try {
                new RespCommandParser().feed(frame, true, c -> {
                    run(c, gate.check(c, authenticated, false));
                    return true;
                });
            } catch (RespProtocolException e) {
                throw new IllegalStateException("a command that parsed once no longer parses", e);
            }
        }));
    }

    /** Stops reading the client; what it sends meanwhile waits in {@link #held}. */
    @Override
    public void pauseReading() {
        client.pause();
        held = Buffer.buffer();
    }

    @Override
    public void resumeReadingLater() {
        context.runOnContext(v -> resumeReading(() -> { }));
    }

    /** Runs {@code first}, then the commands held since {@link #pauseReading}, and reads on (unless paused again). */
    private void resumeReading(Runnable first) {
        Buffer later = held;
        held = null;
        if (closed) {
            return;
        }
        first.run();
        onClientData(later);
        if (held == null) {
            client.resume();
        }
    }

    private void run(RespCommand cmd, CommandGate.Verdict verdict) {
        if (verdict instanceof CommandGate.Pass) {
            dispatch(cmd.name(), cmd);
        } else if (verdict instanceof CommandGate.Refuse refuse) {
            if (transaction.isOpen()) {
                transaction.markDirty();  // EXEC then aborts, as on the engine
            }
            local(refuse.reply());
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
            hello(hello);
        } else {
            throw new IllegalStateException("a held command is not held again: " + verdict);
        }
    }

    private void dispatch(String name, RespCommand cmd) {
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
            case "flushdb", "flushall" -> everyShard(cmd.frame(), ReplyMerges::allOk);
            case "randomkey" -> everyShard(cmd.frame(), ReplyMerges::anyNonNull);
            case "config" -> info.config(cmd);
            case "cluster" -> local(ClusterInfo.cluster(cmd, proxy.publicPort()));
            case "info" -> info.info(cmd);
            case "iinfo" -> info.iinfo(cmd);
            case "client" -> connection.client(cmd);
            case "eval", "eval_ro" -> lua.eval(cmd, cmd.arg(1), proxy.policy().scriptCheck());
            case "evalsha", "evalsha_ro" -> lua.evalsha(cmd, proxy.policy().scriptCheck());
            case "script" -> lua.script(cmd);
            case "scan" -> scan.scan(cmd);
            case "iscan" -> scan.iscan(cmd);
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe" ->
                    shards.own(0).sendPubSub(cmd.frame());
            case "publish", "spublish" -> toShard(0, cmd.frame());  // pub/sub lives on one shard
            case "monitor" -> connection.monitor(cmd);
            case "function", "reset", "wait", "failover" ->
                    local(Resp.error("ERR kvsim: '" + name.toUpperCase(Locale.ROOT)
                            + "' on cluster instances is not supported by this kvsim yet"));
            default -> router.route(name, cmd);
        }
    }

    /** HELLO 2 (the gate refused other versions and checked AUTH): the first shard's answer, SETNAME kept here. */
    private void hello(CommandGate.Hello hello) {
        if (hello.engineUser() != null) {
            switchUser(hello.engineUser());
        }
        if (hello.clientName() != null) {
            clientName = hello.clientName();
        }
        toShard(0, Resp.command("HELLO", "2"));
    }

    /** Logs in: open shard connections run as the account's engine user from now on; new ones start as it. */
    private void switchUser(String user) {
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

    // ---- shards ------------------------------------------------------------------------------------

    @Override
    public int shards() {
        return shards.count();
    }

    @Override
    public void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
        shards.shared(shard, frame, onReply);
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

    /** The shard refused the link's connection: a later command opens a new one. */
    void linkRefused(ShardLink link) {
        shards.refused(link);
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
        client.close();
        proxy.sessionClosed(this);
    }
}
