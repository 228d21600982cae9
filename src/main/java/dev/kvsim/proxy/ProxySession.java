package dev.kvsim.proxy;

import dev.kvsim.limits.Authenticator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client connection of a standard instance and its own backend connection to the master, so
 * that per-connection state (SELECT, MULTI/WATCH, SUBSCRIBE, blocking pops, CLIENT SETNAME, HELLO)
 * behaves as on the engine. Runs on one event loop; never blocks.
 *
 * <p>Commands are framed to apply the service's rules; the ones that pass are forwarded as the
 * bytes the client sent. Replies are forwarded as they arrive; the proxy only counts reply
 * boundaries so that an answer it makes itself (an error, AUTH) reaches the client in command order.
 */
final class ProxySession {

    static final Buffer NOAUTH = Resp.error("NOAUTH Authentication required.");
    static final Buffer WRONGPASS = Resp.error("WRONGPASS invalid username-password pair");
    static final Buffer MAX_CLIENTS = Resp.error("ERR max number of clients reached");
    static final Buffer HELLO_NOAUTH = Resp.error("NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time");
    static final Buffer EXECABORT = Resp.error("EXECABORT Transaction discarded because of previous errors.");

    private final ProxyContext ctx;
    private final InstanceProxy owner;
    private final NetSocket client;
    private final Context context;
    private NetSocket backend;

    private final RespCommandParser parser = new RespCommandParser();
    private final RespReplyScanner scanner = new RespReplyScanner();
    private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
    /** Entries of {@link #pending} that are not plain forwards. */
    private int specialPending;

    private boolean authenticated;
    /** Subscribed, MONITOR or CLIENT REPLY OFF: the engine talks unprompted, replies are not counted. */
    private boolean passThrough;
    private boolean inMulti;
    private boolean multiDirty;
    private boolean closing;
    private boolean closed;

    /** Contiguous forwarded bytes of the current read, written to the backend in one go. */
    private Buffer runSource;
    private int runStart;
    private int runEnd;

    ProxySession(InstanceProxy owner, ProxyContext ctx, NetSocket client) {
        this.owner = owner;
        this.ctx = ctx;
        this.client = client;
        this.context = Vertx.currentContext();
        this.authenticated = !ctx.authenticator().required();
    }

    void start(NetClient netClient) {
        client.pause();
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        BackendTarget target = ctx.backend();
        if (target == null) {
            client.end(Resp.error("ERR kvsim: the instance is not running yet"));
            close();
            return;
        }
        netClient.connect(target.port(), "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                client.end(Resp.error("ERR kvsim: the instance's master node is not reachable"));
                close();
                return;
            }
            backend = ar.result();
            if (closed) {
                backend.close();
                return;
            }
            backend.handler(this::onBackendData);
            backend.closeHandler(v -> close());
            backend.exceptionHandler(e -> close());
            backend.drainHandler(v -> client.resume());
            client.drainHandler(v -> backend.resume());
            backend.write(internalAuth(target));
            addPending(PendingReply.swallow());
            client.handler(this::onClientData);
            client.resume();
        });
    }

    private static Buffer internalAuth(BackendTarget target) {
        return Resp.command("AUTH", target.internalPassword());
    }

    // ---- client -> proxy -> engine -------------------------------------------------------------

    private void onClientData(Buffer data) {
        if (closing) {
            return;
        }
        try {
            parser.feed(data, authenticated, this::onCommand);
        } catch (RespProtocolException e) {
            closing = true;
            reply(Resp.error(e.getMessage()), true);
        }
        flushRun();
        if (backend.writeQueueFull()) {
            client.pause();
        }
    }

    private void onCommand(RespCommand cmd) {
        if (closing) {
            return;
        }
        String name = cmd.name();
        if (!authenticated) {
            switch (name) {
                case "auth" -> auth(cmd);
                case "hello" -> hello(cmd);
                case "quit" -> quit();
                default -> refuse(NOAUTH);
            }
            return;
        }
        String sub = cmd.argc() > 1 && hasSubcommands(name) ? cmd.argLower(1) : "";
        String reserved = ctx.reservedEntry(name, sub);
        if (reserved != null) {
            refuse(Resp.error("ERR command " + reserved.replace('|', ' ') + " not support for normal user"));
            return;
        }
        switch (name) {
            case "auth" -> auth(cmd);
            case "hello" -> hello(cmd);
            case "quit" -> quit();
            case "config" -> config(cmd, sub);
            case "multi" -> {
                forward(cmd);
                inMulti = true;
            }
            case "exec" -> {
                if (inMulti && multiDirty) {
                    // The engine never saw the refused command: discard, and answer as it would have.
                    forwardTransformed(Resp.command("DISCARD"), reply -> EXECABORT);
                } else {
                    forward(cmd);
                }
                inMulti = false;
                multiDirty = false;
            }
            case "discard" -> {
                forward(cmd);
                inMulti = false;
                multiDirty = false;
            }
            case "subscribe", "psubscribe", "ssubscribe", "monitor" -> {
                forward(cmd);
                passThrough = true;
            }
            case "client" -> {
                forward(cmd);
                if (sub.equals("reply") && !cmd.argLower(2).equals("on")) {
                    passThrough = true;
                }
            }
            case "reset" -> reset(cmd);
            default -> forward(cmd);
        }
    }

    private static boolean hasSubcommands(String name) {
        return switch (name) {
            case "config", "acl", "client", "cluster", "script", "function", "memory", "object", "module",
                 "command", "latency", "slowlog", "xinfo", "xgroup", "pubsub" -> true;
            default -> false;
        };
    }

    private void auth(RespCommand cmd) {
        boolean ok;
        if (cmd.argc() == 2) {
            ok = ctx.authenticator().checkSingle(cmd.argString(1));
        } else if (cmd.argc() == 3) {
            ok = ctx.authenticator().checkUser(cmd.argString(1), cmd.argString(2));
        } else {
            reply(Resp.error("ERR wrong number of arguments for 'auth' command"), false);
            return;
        }
        if (ok) {
            authenticated = true;
            reply(Resp.OK, false);
        } else {
            reply(WRONGPASS, false);
        }
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: AUTH is checked here and not forwarded. */
    private void hello(RespCommand cmd) {
        List<byte[]> forwarded = new ArrayList<>();
        forwarded.add(cmd.arg(0));
        String user = null;
        String pass = null;
        for (int i = 1; i < cmd.argc(); i++) {
            if (i >= 2 && cmd.argLower(i).equals("auth") && i + 2 < cmd.argc()) {
                user = cmd.argString(i + 1);
                pass = cmd.argString(i + 2);
                i += 2;
            } else {
                forwarded.add(cmd.arg(i));
            }
        }
        if (user != null) {
            if (!ctx.authenticator().checkUser(user, pass)) {
                reply(WRONGPASS, false);
                return;
            }
            authenticated = true;
        } else if (!authenticated) {
            reply(HELLO_NOAUTH, false);
            return;
        }
        if (forwarded.size() == cmd.argc()) {
            forward(cmd);
        } else {
            forwardBytes(Resp.command(forwarded), PendingReply.forward());
        }
    }

    private void quit() {
        closing = true;
        reply(Resp.OK, true);
    }

    private void config(RespCommand cmd, String sub) {
        if (sub.equals("set") && cmd.argc() >= 4) {
            // Parameters change through the API (ModifyInstanceConfig); CONFIG SET is accepted and ignored.
            reply(Resp.OK, false);
        } else if (sub.equals("get")) {
            Map<String, String> instanceView = Map.of(
                    "requirepass", "", "masterauth", "",
                    "port", Integer.toString(ctx.publicPort()),
                    "maxclients", Integer.toString(ctx.limiter().max()));
            forwardTransformed(cmd.frame(), new ConfigGetMask(instanceView));
        } else {
            forward(cmd);
        }
    }

    /** RESET also drops the engine connection's authentication: kvsim authenticates it again. */
    private void reset(RespCommand cmd) {
        forward(cmd);
        inMulti = false;
        multiDirty = false;
        authenticated = !ctx.authenticator().required();
        if (!passThrough) {
            forwardBytes(internalAuth(ctx.backend()), PendingReply.swallow());
        } else {
            // Unprompted messages may precede the RESET reply, so its end cannot be counted here:
            // end the session the way the engine ends a client it cannot serve.
            closing = true;
            reply(Resp.error("ERR kvsim: RESET while subscribed is not supported; reconnect instead"), true);
        }
    }

    private void refuse(Buffer error) {
        if (inMulti) {
            multiDirty = true;
        }
        reply(error, false);
    }

    private void forward(RespCommand cmd) {
        if (runSource == cmd.source && runEnd == cmd.start) {
            runEnd = cmd.end;
        } else {
            flushRun();
            runSource = cmd.source;
            runStart = cmd.start;
            runEnd = cmd.end;
        }
        PendingReply tail = pending.peekLast();
        if (tail != null && tail.kind == PendingReply.Kind.FORWARD) {
            tail.count++;
        } else {
            addPending(PendingReply.forward());
        }
    }

    private void forwardBytes(Buffer bytes, PendingReply expect) {
        flushRun();
        backend.write(bytes);
        addPending(expect);
    }

    private void forwardTransformed(Buffer bytes, java.util.function.UnaryOperator<Buffer> transform) {
        forwardBytes(bytes, PendingReply.transform(transform));
    }

    private void flushRun() {
        if (runSource != null) {
            backend.write(runStart == 0 && runEnd == runSource.length() ? runSource : runSource.slice(runStart, runEnd));
            runSource = null;
        }
    }

    private void addPending(PendingReply p) {
        pending.addLast(p);
        if (p.kind != PendingReply.Kind.FORWARD) {
            specialPending++;
        }
    }

    /** A reply the proxy makes: now if nothing is owed before it, else in its turn. */
    private void reply(Buffer reply, boolean closeAfter) {
        if (pending.isEmpty() || (passThrough && specialPending == 0)) {
            writeToClient(reply);
            if (closeAfter) {
                client.close();
            }
        } else {
            addPending(PendingReply.local(reply, closeAfter));
        }
    }

    // ---- engine -> proxy -> client -------------------------------------------------------------

    private Buffer out;
    private boolean outOwned;

    private void onBackendData(Buffer data) {
        int pos = 0;
        int len = data.length();
        boolean closeAfter = false;
        while (true) {
            PendingReply head = pending.peekFirst();
            while (head != null && head.kind == PendingReply.Kind.LOCAL) {
                emit(head.local);
                closeAfter |= head.closeAfter;
                popPending();
                head = pending.peekFirst();
            }
            if (pos >= len) {
                break;
            }
            if (passThrough && specialPending == 0) {
                pending.clear();
                emit(pos == 0 ? data : data.slice(pos, len));
                break;
            }
            if (head == null) {
                // unprompted output (RESP3 pushes) or what follows a reply the client turned off
                int end = scanner.scan(data, pos, Integer.MAX_VALUE);
                emit(data.slice(pos, end));
                pos = end;
                continue;
            }
            int end = scanner.scan(data, pos, head.count);
            int done = scanner.completed();
            switch (head.kind) {
                case FORWARD -> {
                    emit(pos == 0 && end == len ? data : data.slice(pos, end));
                    head.count -= done;
                    if (head.count == 0) {
                        popPending();
                    }
                }
                case SWALLOW -> {
                    if (done > 0) {
                        popPending();
                        if (scanner.lastType() == '-') {
                            closeAfter = true;
                            closing = true;
                            emit(Resp.error("ERR kvsim: the instance's master node refused kvsim's credentials"));
                        }
                    }
                }
                case TRANSFORM -> {
                    head.collect(data.slice(pos, end));
                    if (done > 0) {
                        popPending();
                        emit(head.transform.apply(head.collected));
                    }
                }
                default -> throw new IllegalStateException("unexpected " + head.kind);
            }
            pos = end;
        }
        if (out != null) {
            writeToClient(out);
            out = null;
            outOwned = false;
        }
        if (closeAfter) {
            client.close();
        }
    }

    private void popPending() {
        PendingReply p = pending.pollFirst();
        if (p != null && p.kind != PendingReply.Kind.FORWARD) {
            specialPending--;
        }
    }

    /** Gathers what one engine read sends to the client, so that it leaves in one write. */
    private void emit(Buffer piece) {
        if (out == null) {
            out = piece;
        } else {
            if (!outOwned) {
                out = Buffer.buffer(out.length() + piece.length()).appendBuffer(out);
                outOwned = true;
            }
            out.appendBuffer(piece);
        }
    }

    private void writeToClient(Buffer b) {
        client.write(b);
        if (backend != null && client.writeQueueFull()) {
            backend.pause();
        }
    }

    // ---- end ------------------------------------------------------------------------------------

    /** Closes the session from any thread. */
    void closeAsync() {
        context.runOnContext(v -> close());
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        if (backend != null) {
            backend.close();
        }
        owner.sessionClosed(this);
    }
}
