package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespProtocolException;
import dev.kvsim.resp.RespFrames;
import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.resp.PubSubFrame;
import dev.kvsim.access.Authenticator;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.faults.command.CommandFault;
import dev.kvsim.faults.command.DelayFault;
import dev.kvsim.faults.command.ErrorReplyFault;
import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import dev.kvsim.cluster.ClusterCommands;
import dev.kvsim.cluster.ClusterScripts;
import dev.kvsim.commands.EngineChecks;
import dev.kvsim.cluster.HashSlots;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.cluster.SlotMap;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client connection of a cluster instance, as the service's proxy serves it: each command goes
 * to the shard that owns its keys' slot; multi-key commands the proxy knows are split by shard and
 * their replies merged; commands about the whole keyspace go to every shard. The client keeps one
 * SELECTed database across shards. Replies leave in command order whatever shard answers first.
 *
 * <p>Ordinary commands share the event loop's connections to each shard ({@link ShardMux}).
 * Blocking commands, WATCH and transactions, MONITOR and SUBSCRIBE use the client's own connection
 * to the shard (opened on first use), so per-connection state behaves as on the engine.
 * MULTI/EXEC/WATCH are {@link ClusterTransaction}'s.
 */
final class ClusterSession implements ClientSession, ClusterTransaction.Session {

    private final ProxyContext ctx;
    private final InstanceProxy owner;
    private final NetSocket client;
    private final Context context;
    private final int proxyIndex;
    private final SlotMap slots;
    private final KeySpecs keySpecs;
    private final RespCommandParser parser = new RespCommandParser();
    private final ShardLink[] links;
    private final ClusterTransaction transaction;
    /** Replies owed to the client, oldest first. */
    private final ArrayDeque<ClusterReply> order = new ArrayDeque<>();
    private NetClient netClient;
    private boolean authenticated;
    private String engineUser = Authenticator.ENGINE_DEFAULT_USER;
    private int db;
    private String clientName;
    private boolean closing;
    private boolean closed;
    private int commandsRead;
    /** Shared shard connections this read queued commands on; flushed once at its end. */
    private final java.util.Set<ShardMux> touched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Runnable drainer = this::drain;
    private final ShardMux[] muxes;
    private int muxDb = -1;
    private String muxUser;

    ClusterSession(InstanceProxy owner, ProxyContext ctx, NetSocket client, int proxyIndex) {
        this.owner = owner;
        this.ctx = ctx;
        this.client = client;
        this.proxyIndex = proxyIndex;
        this.context = Vertx.currentContext();
        this.slots = ctx.slotMap();
        this.keySpecs = ctx.keySpecs();
        this.links = new ShardLink[slots.shards()];
        this.transaction = new ClusterTransaction(this, slots, keySpecs);
        this.muxes = new ShardMux[slots.shards()];
        this.authenticated = !ctx.authenticator().required();
    }

    @Override
    public void start(NetClient netClient) {
        this.netClient = netClient;
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        boolean running = ctx.shards() != null && keySpecs != null;
        ctx.recordAttempt(running);
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
                + " laddr=127.0.0.1:" + ctx.publicPort() + " name=" + (clientName == null ? "" : clientName)
                + " db=" + db + " proxy=" + proxyIndex;
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
        touched.forEach(ShardMux::scheduleFlush);
        touched.clear();
        for (ShardLink l : links) {
            if (l != null) {
                l.flush();
            }
        }
        TrafficShaper shaper = ctx.shaper();
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
        CommandFault fault = authenticated ? ctx.commandFault(cmd) : null;
        if (fault instanceof DelayFault delay) {
            holdBack(cmd.frame().copy(), delay.delayMs());
            return false;  // the parser keeps the commands after it until it has run
        }
        return run(cmd, fault) && held == null;  // an EXEC waiting on its first shards holds the rest back
    }

    /** A delay fault: stop reading, run the command after the delay, then the ones the parser held. */
    private void holdBack(Buffer frame, long delayMs) {
        pauseReading();
        context.owner().setTimer(Math.max(1, delayMs), t -> resumeReading(() -> {
            try {
                new RespCommandParser().feed(frame, true, c -> run(c, null));
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

    /** While reading is paused (a delay fault, an EXEC waiting on its first shards): what the client sent meanwhile. */
    private Buffer held;

    private boolean run(RespCommand cmd, CommandFault fault) {
        String name = cmd.name();
        if (!authenticated) {
            switch (name) {
                case "auth" -> auth(cmd);
                case "hello" -> hello(cmd);
                case "quit" -> quit();
                default -> local(ProxySession.NOAUTH);
            }
            return true;
        }
        Buffer refusal = ctx.refusal(cmd);
        if (refusal != null) {
            refuse(refusal);
            return true;
        }
        if (fault instanceof ErrorReplyFault error) {
            refuse(Resp.error(error.message()));
            return true;
        }
        dispatch(name, cmd);
        return true;
    }

    /** A command the proxy refuses before queuing it: inside MULTI, EXEC then aborts, as on the engine. */
    private void refuse(Buffer error) {
        if (transaction.isOpen()) {
            transaction.markDirty();
        }
        local(error);
    }

    private void dispatch(String name, RespCommand cmd) {
        if (transaction.isOpen() || name.equals("multi") || name.equals("exec") || name.equals("discard")
                || name.equals("watch") || name.equals("unwatch")) {
            transaction.handle(name, cmd);
            return;
        }
        switch (name) {
            case "auth" -> auth(cmd);
            case "hello" -> hello(cmd);
            case "quit" -> quit();
            case "select" -> select(cmd);
            case "ping" -> local(cmd.argc() > 1 ? Resp.bulk(cmd.arg(1)) : Resp.simple("PONG"));
            case "echo" -> local(cmd.argc() == 2 ? Resp.bulk(cmd.arg(1)) : arity(name));
            case "time" -> toShard(0, cmd.frame());
            case "dbsize" -> everyShard(cmd.frame(), ClusterCommands::sumIntegers);
            case "keys" -> everyShard(cmd.frame(), ClusterCommands::concatArrays);
            case "flushdb", "flushall" -> everyShard(cmd.frame(), ClusterCommands::allOk);
            case "randomkey" -> everyShard(cmd.frame(), ClusterCommands::anyNonNull);
            case "config" -> config(cmd);
            case "cluster" -> local(ClusterCommands.cluster(cmd, ctx.publicPort()));
            case "info" -> info(cmd);
            case "iinfo" -> iinfo(cmd);
            case "client" -> client(cmd);
            case "eval", "eval_ro" -> eval(cmd, cmd.arg(1));
            case "evalsha", "evalsha_ro" -> evalsha(cmd);
            case "script" -> script(cmd);
            case "scan" -> scan(cmd);
            case "iscan" -> iscan(cmd);
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe" ->
                    link(0).sendPubSub(cmd.frame());
            case "publish", "spublish" -> toShard(0, cmd.frame());  // pub/sub lives on one shard
            case "monitor" -> monitor(cmd);
            case "function", "reset", "wait", "failover" ->
                    local(Resp.error("ERR kvsim: '" + name.toUpperCase(Locale.ROOT)
                            + "' on cluster instances is not supported by this kvsim yet"));
            default -> keyed(name, cmd);
        }
    }

    /** A command with keys: to the shard of their slot, split across shards, or CROSSSLOT. */
    private void keyed(String name, RespCommand cmd) {
        List<byte[]> args = cmd.args();
        int[] keys = keySpecs.keyIndexes(name, args);
        if (keys == null) {
            if (!keySpecs.isKnown(name)) {
                local(Resp.error(EngineChecks.unknownCommand(args)));
            } else {
                local(Resp.error("ERR kvsim: the cluster proxy cannot route '" + name.toUpperCase(Locale.ROOT) + "'"));
            }
            return;
        }
        if (keys.length == 0) {
            toShard(0, cmd.frame());  // keyless: PUBLISH, and the rest, on the first shard
            return;
        }
        int slot = HashSlots.slot(args.get(keys[0]));
        boolean sameSlot = true;
        for (int k = 1; k < keys.length && sameSlot; k++) {
            sameSlot = HashSlots.slot(args.get(keys[k])) == slot;
        }
        if (sameSlot) {
            if (name.equals("watch") || keySpecs.hasFlag(name, "blocking")) {
                toOwnLink(slots.shardOf(slot), cmd.frame());
            } else {
                toShard(slots.shardOf(slot), cmd.frame());
            }
            return;
        }
        switch (name) {
            case "del", "exists", "unlink", "touch" -> splitByKey(args, 1, 1, ClusterCommands::sumIntegers, null);
            case "mget" -> splitByKey(args, 1, 1, null, ClusterCommands::mergeMget);
            case "mset" -> splitByKey(args, 1, 2, ClusterCommands::allOk, null);
            case "sdiff", "sinter", "sunion" -> setOperation(name, args);
            default -> local(ClusterCommands.CROSSSLOT);
        }
    }

    /**
     * Sends each shard the command with only its keys ({@code group} arguments per key, e.g. key
     * and value for MSET) and merges: either per shard ({@code merge}) or per key in the original
     * order ({@code perKey}, given the shards' replies and which shard each key went to).
     */
    private void splitByKey(List<byte[]> args, int first, int group,
                            Function<List<Buffer>, Buffer> merge, ClusterCommands.PerKeyMerge perKey) {
        Map<Integer, List<byte[]>> byShard = new LinkedHashMap<>();
        List<Integer> shardOfKey = new ArrayList<>();
        for (int i = first; i + group <= args.size(); i += group) {
            int shard = slots.shardOf(HashSlots.slot(args.get(i)));
            shardOfKey.add(shard);
            List<byte[]> sub = byShard.computeIfAbsent(shard, s -> new ArrayList<>(List.of(args.get(0))));
            for (int g = 0; g < group; g++) {
                sub.add(args.get(i + g));
            }
        }
        List<Integer> shards = new ArrayList<>(byShard.keySet());
        ClusterReply r = pending(shards.size(), parts -> merge != null ? merge.apply(parts)
                : perKey.merge(parts, shards, shardOfKey));
        for (int s = 0; s < shards.size(); s++) {
            shared(shards.get(s), Resp.command(byShard.get(shards.get(s))), r.part(s));
        }
    }

    /** SDIFF, SINTER, SUNION over keys on several shards: the members of each key, combined here. */
    private void setOperation(String name, List<byte[]> args) {
        int keys = args.size() - 1;
        ClusterReply r = pending(keys, parts -> ClusterCommands.combineSets(name, parts));
        for (int k = 0; k < keys; k++) {
            byte[] key = args.get(k + 1);
            shared(slots.shardOf(HashSlots.slot(key)), Resp.command(List.of("SMEMBERS".getBytes(StandardCharsets.US_ASCII), key)), r.part(k));
        }
    }

    // ---- Lua --------------------------------------------------------------------------------------

    /**
     * EVAL as the service's cluster proxy runs it: numkeys above zero, every key in one slot, and
     * (with script_check_enable) every key the script touches passed in KEYS, checked as it runs.
     */
    private void eval(RespCommand cmd, byte[] script) {
        if (cmd.argc() < 3) {
            local(arity(cmd.name()));
            return;
        }
        boolean check = ctx.scriptCheck();
        long numkeys;
        try {
            numkeys = Long.parseLong(cmd.argString(2));
        } catch (NumberFormatException e) {
            local(Resp.error("ERR value is not an integer or out of range"));
            return;
        }
        if (numkeys > cmd.argc() - 3) {
            local(Resp.error("ERR Number of keys can't be greater than number of args"));
            return;
        }
        if (check && numkeys <= 0) {
            local(Resp.error("ERR for redis cluster, eval/evalsha number of keys can't be negative or zero"));
            return;
        }
        int shard = 0;
        if (numkeys > 0) {
            int slot = HashSlots.slot(cmd.arg(3));
            for (int k = 1; k < numkeys; k++) {
                if (HashSlots.slot(cmd.arg(3 + k)) != slot) {
                    local(check ? Resp.error("ERR eval/evalsha command keys must in same slot") : ClusterCommands.CROSSSLOT);
                    return;
                }
            }
            shard = slots.shardOf(slot);
        }
        String userSha = ClusterScripts.sha1Hex(script);
        ctx.scripts().putIfAbsent(userSha, script);
        byte[] sent = check ? ClusterScripts.wrap(script) : script;
        String sentSha = ClusterScripts.sha1Hex(sent);
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.set(0, (cmd.name().endsWith("_ro") ? "EVAL_RO" : "EVAL").getBytes(StandardCharsets.US_ASCII));
        args.set(1, sent);
        ClusterReply r = pending(1, parts -> scriptReply(parts.get(0), sentSha, userSha));
        shared(shard, Resp.command(args), r.part(0));
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

    private void evalsha(RespCommand cmd) {
        if (cmd.argc() < 3) {
            local(arity(cmd.name()));
            return;
        }
        byte[] script = ctx.scripts().get(cmd.argString(1).toLowerCase(Locale.ROOT));
        if (script == null) {
            local(Resp.error("NOSCRIPT No matching script. Please use EVAL."));
            return;
        }
        eval(cmd, script);
    }

    /** SCRIPT LOAD answers the user's SHA (checked by the engine); EXISTS and FLUSH cover every shard. */
    private void script(RespCommand cmd) {
        switch (cmd.argLower(1)) {
            case "load" -> {
                if (cmd.argc() != 3) {
                    local(arity("script|load"));
                    return;
                }
                byte[] script = cmd.arg(2);
                ClusterReply r = pending(1, parts -> {
                    if (!RespFrames.isError(parts.get(0))) {
                        ctx.scripts().putIfAbsent(ClusterScripts.sha1Hex(script), script);
                    }
                    return parts.get(0);
                });
                shared(0, cmd.frame(), r.part(0));
            }
            case "exists" -> {
                List<Buffer> answers = new ArrayList<>();
                for (int i = 2; i < cmd.argc(); i++) {
                    answers.add(Resp.integer(ctx.scripts().containsKey(cmd.argString(i).toLowerCase(Locale.ROOT)) ? 1 : 0));
                }
                local(Resp.array(answers));
            }
            case "flush" -> {
                ctx.scripts().clear();
                everyShard(cmd.frame(), ClusterCommands::allOk);
            }
            default -> toShard(0, cmd.frame());
        }
    }

    /** MONITOR on every shard: one +OK, then what every shard runs, as it comes. */
    private void monitor(RespCommand cmd) {
        ClusterReply r = pending(links.length, ClusterCommands::allOk);
        for (int s = 0; s < links.length; s++) {
            ShardLink l = link(s);
            Consumer<Buffer> part = r.part(s);
            l.send(cmd.frame(), reply -> {
                part.accept(reply);
                l.monitoring = !RespFrames.isError(reply);
            });
        }
    }

    // ---- SCAN ------------------------------------------------------------------------------------

    /** SCAN over every shard in turn: the cursor carries the shard (cursor = engine cursor × shards + shard). */
    private void scan(RespCommand cmd) {
        long cursor;
        try {
            cursor = cmd.argc() >= 2 ? Long.parseUnsignedLong(cmd.argString(1)) : -1;
        } catch (NumberFormatException e) {
            cursor = -1;
        }
        if (cursor == -1) {
            local(cmd.argc() < 2 ? arity("scan") : Resp.error("ERR invalid cursor"));
            return;
        }
        int n = links.length;
        int shard = (int) Long.remainderUnsigned(cursor, n);
        long engineCursor = Long.divideUnsigned(cursor, n);
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.set(1, Long.toUnsignedString(engineCursor).getBytes(StandardCharsets.US_ASCII));
        ClusterReply r = pending(1, parts -> {
            Buffer reply = parts.get(0);
            if (RespFrames.isError(reply)) {
                return reply;
            }
            List<Buffer> cursorAndKeys = RespFrames.elements(reply);
            long next = Long.parseUnsignedLong(new String(RespFrames.bulk(cursorAndKeys.get(0)), StandardCharsets.US_ASCII));
            long clientNext = next != 0 ? next * n + shard : shard + 1 < n ? shard + 1 : 0;
            return Resp.array(List.of(Resp.bulk(Long.toUnsignedString(clientNext)), cursorAndKeys.get(1)));
        });
        shared(shard, Resp.command(args), r.part(0));
    }

    /** ISCAN <shard> <cursor> [MATCH p] [COUNT n]: SCAN of one shard. */
    private void iscan(RespCommand cmd) {
        int shard = cmd.argc() >= 3 ? parseShard(cmd.argString(1)) : -1;
        if (shard < 0) {
            local(Resp.error("ERR invalid shard index; this instance has shards 0 to " + (links.length - 1)));
            return;
        }
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.remove(1);
        args.set(0, "SCAN".getBytes(StandardCharsets.US_ASCII));
        toShard(shard, Resp.command(args));
    }

    private void select(RespCommand cmd) {
        if (cmd.argc() != 2) {
            local(arity("select"));
            return;
        }
        int n;
        try {
            n = Integer.parseInt(cmd.argString(1));
        } catch (NumberFormatException e) {
            local(Resp.error("ERR value is not an integer or out of range"));
            return;
        }
        if (n < 0 || n > 255) {
            local(Resp.error("ERR DB index is out of range"));
            return;
        }
        db = n;
        for (ShardLink l : links) {
            if (l != null) {
                l.send(Resp.command("SELECT", Integer.toString(n)), reply -> { });
            }
        }
        local(Resp.OK);
    }

    private void auth(RespCommand cmd) {
        String user;
        if (cmd.argc() == 2) {
            user = ctx.authenticator().checkSingle(cmd.argString(1));
        } else if (cmd.argc() == 3) {
            user = ctx.authenticator().checkUser(cmd.argString(1), cmd.argString(2));
        } else {
            local(arity("auth"));
            return;
        }
        login(user);
    }

    /** HELLO [2 [AUTH user pass] [SETNAME name]]: RESP2 only on cluster instances. */
    private void hello(RespCommand cmd) {
        if (cmd.argc() > 1 && !cmd.argString(1).equals("2")) {
            local(Resp.error("NOPROTO sorry, this protocol version is not supported"));
            return;
        }
        for (int i = 2; i < cmd.argc(); i++) {
            if (cmd.argLower(i).equals("auth") && i + 2 < cmd.argc()) {
                String user = ctx.authenticator().checkUser(cmd.argString(i + 1), cmd.argString(i + 2));
                if (user == null) {
                    local(ProxySession.WRONGPASS);
                    return;
                }
                switchUser(user);
                authenticated = true;
                i += 2;
            } else if (cmd.argLower(i).equals("setname") && i + 1 < cmd.argc()) {
                clientName = cmd.argString(++i);
            }
        }
        if (!authenticated) {
            local(ProxySession.HELLO_NOAUTH);
            return;
        }
        toShard(0, Resp.command("HELLO", "2"));
    }

    private void login(String user) {
        if (user == null) {
            local(ProxySession.WRONGPASS);
            return;
        }
        switchUser(user);
        authenticated = true;
        local(Resp.OK);
    }

    /** Open shard connections run as the account's engine user from now on; new ones start as it. */
    private void switchUser(String user) {
        if (user.equals(engineUser)) {
            return;
        }
        engineUser = user;
        for (ShardLink l : links) {
            if (l != null) {
                l.authenticate();
            }
        }
    }

    @Override
    public void quit() {
        localThenClose(Resp.OK);
    }

    private void config(RespCommand cmd) {
        String sub = cmd.argLower(1);
        if (sub.equals("set") && cmd.argc() >= 4) {
            local(Resp.OK);
        } else if (sub.equals("get")) {
            ConfigGetMask mask = new ConfigGetMask(Map.of("requirepass", "", "masterauth", "",
                    "port", Integer.toString(ctx.publicPort()), "maxclients", Integer.toString(ctx.limiter().max())));
            ClusterReply r = pending(1, parts -> mask.apply(parts.get(0)));
            shared(0, cmd.frame(), r.part(0));
        } else {
            toShard(0, cmd.frame());
        }
    }

    /** INFO KEY <key> is the proxy's; other INFO is the first shard's, with the keyspace of all. */
    private void info(RespCommand cmd) {
        if (cmd.argc() == 3 && cmd.argLower(1).equals("key")) {
            int slot = HashSlots.slot(cmd.arg(2));
            local(Resp.bulk("slot:" + slot + " node_index:" + slots.shardOf(slot)));
            return;
        }
        Buffer frame = cmd.frame();
        ClusterReply r = pending(links.length, parts -> withProxySection(ClusterCommands.mergeInfo(parts)));
        for (int s = 0; s < links.length; s++) {
            shared(s, frame, r.part(s));
        }
    }

    /** INFO of a cluster instance ends with the client's logical proxy and its connections. */
    private Buffer withProxySection(Buffer info) {
        if (RespFrames.isError(info)) {
            return info;
        }
        String text = new String(RespFrames.bulk(info), StandardCharsets.UTF_8);
        return Resp.bulk(text + "\r\n# Proxy\r\nproxy_index:" + proxyIndex + "\r\nproxies:" + ctx.proxies()
                + "\r\nproxy_connected_clients:" + owner.clusterClients(proxyIndex) + "\r\nshards:" + links.length + "\r\n");
    }

    /** IINFO <shard> [section]: INFO of one shard. */
    private void iinfo(RespCommand cmd) {
        int shard = cmd.argc() >= 2 ? parseShard(cmd.argString(1)) : -1;
        if (shard < 0) {
            local(Resp.error("ERR invalid shard index; this instance has shards 0 to " + (links.length - 1)));
            return;
        }
        List<byte[]> args = new ArrayList<>(cmd.args());
        args.remove(1);
        args.set(0, "INFO".getBytes(StandardCharsets.US_ASCII));
        toShard(shard, Resp.command(args));
    }

    private int parseShard(String s) {
        try {
            int n = Integer.parseInt(s);
            return n >= 0 && n < links.length ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** CLIENT LIST shows this proxy's clients; CLIENT INFO / ID are not supported, as on the service. */
    private void client(RespCommand cmd) {
        switch (cmd.argLower(1)) {
            case "list" -> local(Resp.bulk(owner.clusterClientList(proxyIndex)));
            case "setname" -> {
                clientName = cmd.argc() == 3 ? cmd.argString(2) : clientName;
                local(cmd.argc() == 3 ? Resp.OK : arity("client|setname"));
            }
            case "getname" -> local(clientName == null ? Resp.NULL_BULK : Resp.bulk(clientName));
            case "kill" -> local(owner.clusterKill(cmd));
            case "info", "id" -> local(Resp.error("ERR command 'CLIENT " + cmd.argString(1).toUpperCase(Locale.ROOT)
                    + "' not support in cluster mode"));
            default -> toOwnLink(0, cmd.frame());
        }
    }

    private static Buffer arity(String name) {
        return Resp.error(EngineChecks.wrongArity(name));
    }

    // ---- replies ---------------------------------------------------------------------------------

    @Override
    public void local(Buffer reply) {
        local(reply, false);
    }

    /** A last reply: the connection closes once it is written (the flag is set before draining writes it). */
    private void localThenClose(Buffer reply) {
        closing = true;
        local(reply, true);
    }

    private void local(Buffer reply, boolean closeAfter) {
        order.add(ClusterReply.local(reply, closeAfter));
        drain();
    }

    @Override
    public ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge) {
        ClusterReply r = new ClusterReply(parts, merge);
        if (parts == 0) {
            r.done = merge.apply(List.of());
        }
        order.add(r);
        return r;
    }

    /** An ordinary command: on the shard's shared connection. */
    private void toShard(int shard, Buffer frame) {
        ClusterReply r = pending(1, ClusterReply.AS_IS);
        shared(shard, frame, r.part(0));
    }

    /** A command that holds or changes its connection (blocking, WATCH, CLIENT …): on this client's own. */
    private void toOwnLink(int shard, Buffer frame) {
        ClusterReply r = pending(1, ClusterReply.AS_IS);
        link(shard).send(frame, r.part(0));
    }

    private void everyShard(Buffer frame, Function<List<Buffer>, Buffer> merge) {
        ClusterReply r = pending(links.length, merge);
        for (int s = 0; s < links.length; s++) {
            shared(s, frame, r.part(s));
        }
    }

    private void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
        // The session's muxes for its current user and database, looked up once rather than per command.
        if (db != muxDb || !engineUser.equals(muxUser)) {
            java.util.Arrays.fill(muxes, null);
            muxDb = db;
            muxUser = engineUser;
        }
        ShardMux mux = muxes[shard];
        if (mux == null || mux.isClosed()) {
            mux = owner.mux(context, shard, engineUser, db);
            muxes[shard] = mux;
        }
        mux.send(frame, onReply, drainer);
        touched.add(mux);
    }

    /** Writes the finished replies at the head of the queue, in one write. */
    private void drain() {
        Buffer out = null;
        boolean owned = false;
        boolean closeAfter = false;
        while (!order.isEmpty() && order.peekFirst().done != null) {
            ClusterReply r = order.pollFirst();
            if (out == null) {
                out = r.done;  // the usual case, one reply: written as it is, no copy
            } else {
                if (!owned) {
                    out = Buffer.buffer(out.length() * 4).appendBuffer(out);
                    owned = true;
                }
                out.appendBuffer(r.done);
            }
            closeAfter |= r.closeAfter;
        }
        if (out != null && !closed) {
            client.write(out);
        }
        if (closeAfter) {
            client.close();
        }
    }

    // ---- shards ------------------------------------------------------------------------------------

    @Override
    public void sendOwn(int shard, Buffer bytes, Consumer<Buffer> onReply) {
        link(shard).send(bytes, onReply);
    }

    @Override
    public void flushOwn(int shard) {
        link(shard).flush();
    }

    @Override
    public void unwatchOwnLinks() {
        for (ShardLink l : links) {
            if (l != null) {
                l.send(Resp.command("UNWATCH"), reply -> { });
            }
        }
    }

    @Override
    public void watchOnOwnLink(RespCommand cmd) {
        keyed("watch", cmd);
    }

    private ShardLink link(int shard) {
        if (links[shard] == null) {
            if (!ctx.shardConnections().tryAcquire(shard)) {
                // The shard has its cap of backend connections: this command is refused, a later one tries again.
                return new ShardLink(shard, ProxySession.MAX_CLIENTS);
            }
            links[shard] = new ShardLink(shard, null);
        }
        return links[shard];
    }

    /** This client's connection to one shard's master: commands out, whole reply frames back in order. */
    private final class ShardLink {
        private final int shard;
        private final ArrayDeque<Consumer<Buffer>> expected = new ArrayDeque<>();
        private final FrameSplitter frames = new FrameSplitter();
        private NetSocket socket;
        private Buffer queued = Buffer.buffer();
        /** Non-null once the shard refused this connection: every command sent on it gets this. */
        private Buffer refused;
        /** Pub/sub commands sent, which a refusal must answer (they have no reply handler). */
        private int pubSubSent;

        /** @param refused null to connect; else the error every command on this link gets */
        ShardLink(int shard, Buffer refused) {
            this.shard = shard;
            this.refused = refused;
            if (refused != null) {
                return;
            }
            authenticate();
            if (db != 0) {
                send(Resp.command("SELECT", Integer.toString(db)), reply -> { });
            }
            BackendTarget target = ctx.shards().get(shard);
            netClient.connect(target.port(), "127.0.0.1").onComplete(ar -> {
                if (ar.failed() || closed) {
                    if (ar.succeeded()) {
                        ar.result().close();
                    } else {
                        localThenClose(Resp.error("ERR kvsim: shard " + shard + " of the instance is not reachable"));
                    }
                    return;
                }
                socket = ar.result();
                NetworkFaultHandler.install(socket, Link.backend(shard, proxyIndex), ctx.faults());
                socket.handler(this::onData);
                socket.closeHandler(v -> closeUnlessRefused());
                socket.exceptionHandler(e -> closeUnlessRefused());
                flush();
            });
        }

        private void closeUnlessRefused() {
            if (refused == null) {
                close();
            }
        }

        /** Logs the connection in as the session's engine user (the default user with kvsim's password). */
        void authenticate() {
            Buffer auth = ctx.engineLogin(engineUser, ctx.shards().get(shard));
            send(auth, reply -> {
                if (!RespFrames.isError(reply)) {
                    return;
                }
                Buffer why = ShardConnections.refusal(reply);
                if (why == ProxySession.MAX_CLIENTS) {
                    refuse(why);
                } else {
                    localThenClose(why);
                }
            });
        }

        /**
         * The node refused the new connection (it is full): what was sent on it gets the engine's
         * error, the client's session goes on and a later command opens a new connection.
         */
        private void refuse(Buffer why) {
            refused = why;
            if (links[shard] == this) {
                links[shard] = null;
                ctx.shardConnections().release(shard);
            }
            while (!expected.isEmpty()) {
                expected.poll().accept(why);
            }
            for (; pubSubSent > 0; pubSubSent--) {
                local(why);
            }
        }

        /** Subscribed on this link: pub/sub frames are not replies to anything. */
        private boolean pubsub;
        /** MONITOR on this link: everything that follows goes to the client. */
        private boolean monitoring;

        void send(Buffer bytes, Consumer<Buffer> onReply) {
            if (refused != null) {
                onReply.accept(refused);
                drain();
                return;
            }
            expected.add(onReply);
            queued.appendBuffer(bytes);
        }

        /** A (un)subscribe command: answered by pub/sub frames, which go to the client as they come. */
        void sendPubSub(Buffer bytes) {
            if (refused != null) {
                local(refused);
                return;
            }
            pubsub = true;
            pubSubSent++;
            queued.appendBuffer(bytes);
        }

        void flush() {
            if (socket != null && queued.length() > 0) {
                socket.write(queued);
                queued = Buffer.buffer();
            }
        }

        private void onData(Buffer data) {
            frames.feed(data, frame -> {
                int kind = pubsub ? PubSubFrame.classify(frame) : PubSubFrame.REPLY;
                if (monitoring) {
                    local(frame.copy());
                } else if (kind != PubSubFrame.REPLY) {
                    pubsub = kind != PubSubFrame.LAST_UNSUBSCRIBE;
                    local(frame.copy());  // after the replies owed before it
                } else {
                    Consumer<Buffer> handler = expected.poll();
                    if (handler != null) {
                        handler.accept(frame);
                    }
                }
            });
            drain();
            TrafficShaper shaper = ctx.shaper();
            long wait = shaper == null ? 0 : shaper.downstream(data.length());
            if (wait > 0) {
                Throttle.pause(socket, context, wait);
            }
        }
    }

    // ---- end ----------------------------------------------------------------------------------------

    @Override
    public void closeAsync() {
        context.runOnContext(v -> close());
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        for (ShardLink l : links) {
            if (l != null) {
                ctx.shardConnections().release(l.shard);
                if (l.socket != null) {
                    l.socket.close();
                }
            }
        }
        owner.sessionClosed(this);
    }
}
