package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespProtocolException;
import dev.kvsim.resp.RespReplyScanner;
import dev.kvsim.resp.PubSubFrame;
import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.access.Authenticator;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection of a standard instance and its own backend connection to the master, so
 * that per-connection state (SELECT, MULTI/WATCH, SUBSCRIBE, blocking pops, CLIENT SETNAME, HELLO)
 * behaves as on the engine. Runs on one event loop; never blocks.
 *
 * <p>Commands are framed to apply the service's rules ({@link CommandGate}); the ones that pass are
 * forwarded as the bytes the client sent. Replies are forwarded as they arrive; the session only
 * counts reply boundaries so that an answer it makes itself (an error, AUTH) reaches the client in
 * command order.
 */
public final class StandardSession implements ClientSession {

    static final Buffer PING = Resp.command("PING");
    private static final Buffer NOTHING = Buffer.buffer(0);

    private final InstanceProxy owner;
    private final CommandGate gate;
    private final NetSocket client;
    private final Context context;
    private NetSocket backend;

    private final RespCommandParser parser = new RespCommandParser();
    private final RespReplyScanner scanner = new RespReplyScanner();
    private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
    /** Entries of {@link #pending} that are not plain forwards. */
    private int specialPending;

    private boolean authenticated;
    /** The engine user the node connection runs as: the default user or an account's. */
    private String backendUser = Authenticator.ENGINE_DEFAULT_USER;
    /** MONITOR: the engine talks unprompted until the connection ends; replies are not counted. */
    private boolean monitoring;
    /** Reply side: the engine's output is in pub/sub mode; pub/sub frames are not replies. */
    private boolean subscribed;
    /** Splits the engine's output into frames while {@link #subscribed}. */
    private FrameSplitter pubsubFrames;
    /** CLIENT REPLY OFF / SKIP: the engine (and so the proxy) answers nothing. */
    private boolean repliesOff;
    private boolean skipNextReply;
    private boolean inMulti;
    private boolean multiDirty;
    /** The commands queued in the current MULTI, to rebuild the EXEC reply when the proxy answered some. */
    private final List<ExecReplyRewrite.Queued> multiQueue = new ArrayList<>();
    private boolean closing;
    private boolean closed;
    /** Paused for the bandwidth or QPS cap; a drain must not resume it early. */
    private boolean clientThrottled;
    private boolean backendThrottled;
    /** How long the QPS cap (or a delay fault) holds the client's next command back, in nanoseconds. */
    private long commandWait;
    /** A command a delay fault holds back; it runs when the wait ends, before the ones after it. */
    private Buffer heldCommand;

    /** Contiguous forwarded bytes of the current read, written to the backend in one go. */
    private Buffer runSource;
    private int runStart;
    private int runEnd;

    public StandardSession(InstanceProxy owner, NetSocket client) {
        this.owner = owner;
        this.gate = new CommandGate(owner, 0);
        this.client = client;
        this.context = Vertx.currentContext();
        this.authenticated = !owner.policy().authenticator().required();
    }

    @Override
    public void start(NetClient netClient) {
        client.pause();
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        BackendTarget target = owner.routing().master();
        if (target == null) {
            owner.recordAttempt(false);
            client.end(Resp.error("ERR kvsim: the instance is not running yet"));
            close();
            return;
        }
        netClient.connect(target.port(), "127.0.0.1").onComplete(ar -> {
            owner.recordAttempt(ar.succeeded());
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
            NetworkFaultHandler.install(backend, Link.backend(0, 0), owner.faults());
            backend.handler(this::onBackendData);
            backend.closeHandler(v -> close());
            backend.exceptionHandler(e -> close());
            backend.drainHandler(v -> {
                if (!clientThrottled) {
                    client.resume();
                }
            });
            client.drainHandler(v -> {
                if (!backendThrottled) {
                    backend.resume();
                }
            });
            backend.write(owner.engineLogin(Authenticator.ENGINE_DEFAULT_USER, target));
            addPending(PendingReply.swallow());
            client.handler(this::onClientData);
            client.resume();
        });
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
        TrafficShaper shaper = owner.policy().shaper();
        long wait = Math.max(shaper == null ? 0 : shaper.upstream(data.length()), commandWait);
        commandWait = 0;
        if (wait > 0) {
            throttleClient(wait);
        } else if (backend.writeQueueFull()) {
            client.pause();
        }
    }

    /** Over the instance's bandwidth or QPS: stop reading from the client for a while (never refuse). */
    private void throttleClient(long nanos) {
        client.pause();
        clientThrottled = true;
        Throttle.after(context, nanos, () -> {
            clientThrottled = false;
            if (closed) {
                return;
            }
            if (heldCommand != null) {
                runHeldCommand();
            }
            onClientData(NOTHING);  // commands the QPS cap held back in the parser
            if (!clientThrottled && !backend.writeQueueFull()) {
                client.resume();
            }
        });
    }

    /** Over the instance's bandwidth on the way back: stop reading the engine's replies for a while. */
    private void throttleBackend(long nanos) {
        backend.pause();
        backendThrottled = true;
        Throttle.after(context, nanos, () -> {
            backendThrottled = false;
            if (!closed && !client.writeQueueFull()) {
                backend.resume();
            }
        });
    }

    /** @return false when the QPS cap (or a delay fault) says to hold the following commands back for a while */
    private boolean onCommand(RespCommand cmd) {
        if (closing) {
            return true;
        }
        CommandGate.Verdict verdict = gate.check(cmd, authenticated, true);
        if (verdict instanceof CommandGate.Delay delay) {
            // Run it late; the parser holds the commands after it, so replies keep their order.
            heldCommand = cmd.frame().copy();
            commandWait = TimeUnit.MILLISECONDS.toNanos(Math.max(1, delay.ms()));
            return false;
        }
        handle(cmd, verdict);
        TrafficShaper shaper = owner.policy().shaper();
        commandWait = shaper == null ? 0 : shaper.commands(1);
        return commandWait == 0;
    }

    /** Runs a command a delay fault held back, then lets the parser go on. */
    private void runHeldCommand() {
        Buffer held = heldCommand;
        heldCommand = null;
        try {
            new RespCommandParser().feed(held, true, c -> {
                if (!closing) {
                    handle(c, gate.check(c, authenticated, false));
                }
                return true;
            });
        } catch (RespProtocolException e) {
            throw new IllegalStateException("a command that parsed once no longer parses", e);
        }
        flushRun();
    }

    private void handle(RespCommand cmd, CommandGate.Verdict verdict) {
        if (verdict instanceof CommandGate.Pass) {
            dispatch(cmd);
        } else if (verdict instanceof CommandGate.Refuse refuse) {
            refuse(refuse.reply());
        } else if (verdict instanceof CommandGate.Answer answer) {
            answer(answer.reply());
        } else if (verdict instanceof CommandGate.Close close) {
            closing = true;
            reply(close.reply(), true);
        } else if (verdict instanceof CommandGate.Login login) {
            answer(logIn(login.engineUser()) ? Resp.OK : Replies.ACCOUNT_SWITCH_IN_MULTI);
        } else if (verdict instanceof CommandGate.Hello hello) {
            hello(cmd, hello);
        } else {
            throw new IllegalStateException("a held command is not held again: " + verdict);
        }
    }

    /** A command the gate let through: forwarded, with the bookkeeping its kind needs. */
    private void dispatch(RespCommand cmd) {
        switch (cmd.name()) {
            case "config" -> config(cmd);
            case "multi" -> {
                forward(cmd);
                if (!inMulti) {
                    inMulti = true;
                    multiQueue.clear();
                }
            }
            case "exec" -> exec(cmd);
            case "discard" -> {
                forward(cmd);
                endMulti();
            }
            case "watch" -> forward(cmd);
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe" -> {
                if (inMulti) {
                    forward(cmd);
                } else {
                    // Answered by pub/sub frames, not by replies: mark where they start in the reply stream.
                    flushRun();
                    addPending(PendingReply.mode(true));
                    forwardRun(cmd);
                }
            }
            case "monitor" -> {
                forward(cmd);
                monitoring = true;
            }
            case "client" -> client(cmd);
            case "reset" -> reset(cmd);
            default -> forward(cmd);
        }
    }

    /** @return false inside MULTI when the account changes (the switch would be queued instead of done) */
    private boolean logIn(String engineUser) {
        if (!runAs(engineUser)) {
            return false;
        }
        authenticated = true;
        return true;
    }

    /**
     * Makes the node connection run as the account's engine user, whose ACL rules carry the
     * account's privilege, so that the engine itself refuses what a read-only account may not do.
     *
     * @return false inside MULTI, where the switch would be queued instead of done
     */
    private boolean runAs(String engineUser) {
        if (engineUser.equals(backendUser)) {
            return true;
        }
        if (inMulti) {
            return false;
        }
        forwardBytes(owner.engineLogin(engineUser, owner.routing().master()), PendingReply.swallow());
        backendUser = engineUser;
        return true;
    }

    /** HELLO: the gate checked its AUTH clause, which is not forwarded; the engine negotiates the rest. */
    private void hello(RespCommand cmd, CommandGate.Hello hello) {
        if (hello.engineUser() != null && !logIn(hello.engineUser())) {
            answer(Replies.ACCOUNT_SWITCH_IN_MULTI);
            return;
        }
        if (hello.forward().size() == cmd.argc()) {
            forward(cmd);
        } else {
            forwardBytes(Resp.command(hello.forward()), PendingReply.forward());
            queued(ExecReplyRewrite.Queued.engine());
        }
    }

    /** CONFIG GET shows the instance's port, cap and no passwords; CONFIG SET never gets here (the gate answers it). */
    private void config(RespCommand cmd) {
        if (cmd.argLower(1).equals("get")) {
            ConfigGetMask mask = ConfigGetMask.of(owner);
            if (inMulti) {
                forward(cmd);
                multiQueue.set(multiQueue.size() - 1, new ExecReplyRewrite.Queued(null, mask));
            } else {
                forwardTransformed(cmd.frame(), mask);
            }
        } else {
            forward(cmd);
        }
    }

    private void exec(RespCommand cmd) {
        if (inMulti && multiDirty) {
            // The engine never saw the refused command: discard, and answer as it would have.
            forwardTransformed(Resp.command("DISCARD"), reply -> Replies.EXECABORT);
        } else if (inMulti && !ExecReplyRewrite.needless(multiQueue)) {
            forwardTransformed(cmd.frame(), new ExecReplyRewrite(multiQueue));
        } else {
            forward(cmd);
        }
        endMulti();
    }

    private void endMulti() {
        inMulti = false;
        multiDirty = false;
        multiQueue.clear();
    }

    /** CLIENT REPLY OFF|SKIP silence the engine; the proxy keeps count of what it will still answer. */
    private void client(RespCommand cmd) {
        if (!cmd.argLower(1).equals("reply") || cmd.argc() != 3 || inMulti) {
            forward(cmd);
            return;
        }
        switch (cmd.argLower(2)) {
            case "off" -> {
                forwardRun(cmd);
                repliesOff = true;
            }
            case "skip" -> {
                forwardRun(cmd);
                if (!repliesOff) {
                    skipNextReply = true;
                }
            }
            case "on" -> {
                repliesOff = false;
                skipNextReply = false;
                forward(cmd);
            }
            default -> forward(cmd);
        }
    }

    /** RESET also drops the engine connection's authentication: kvsim authenticates it again. */
    private void reset(RespCommand cmd) {
        if (monitoring) {
            // MONITOR output may precede the RESET reply, so its end cannot be counted here:
            // end the session the way the engine ends a client it cannot serve.
            closing = true;
            reply(Resp.error("ERR kvsim: RESET while in MONITOR mode is not supported; reconnect instead"), true);
            return;
        }
        repliesOff = false;
        skipNextReply = false;
        forward(cmd);
        addPending(PendingReply.mode(false));
        endMulti();
        authenticated = !owner.policy().authenticator().required();
        forwardBytes(owner.engineLogin(Authenticator.ENGINE_DEFAULT_USER, owner.routing().master()), PendingReply.swallow());
        backendUser = Authenticator.ENGINE_DEFAULT_USER;
    }

    private void refuse(Buffer error) {
        if (inMulti) {
            multiDirty = true;
        }
        reply(error, false);
    }

    /** Forwards a command whose reply the client is owed. */
    private void forward(RespCommand cmd) {
        forwardRun(cmd);
        queued(ExecReplyRewrite.Queued.engine());
        if (repliesOff || skipNextReply) {
            skipNextReply = false;
            return;
        }
        PendingReply tail = pending.peekLast();
        if (tail != null && tail.kind == PendingReply.Kind.FORWARD) {
            tail.count++;
        } else {
            addPending(PendingReply.forward());
        }
    }

    /** Adds the command's bytes to the run written to the engine, without expecting a reply. */
    private void forwardRun(RespCommand cmd) {
        if (runSource == cmd.source() && runEnd == cmd.start()) {
            runEnd = cmd.end();
        } else {
            flushRun();
            runSource = cmd.source();
            runStart = cmd.start();
            runEnd = cmd.end();
        }
    }

    /** Records a command queued inside MULTI (one element of the EXEC reply). */
    private void queued(ExecReplyRewrite.Queued q) {
        if (inMulti) {
            multiQueue.add(q);
        }
    }

    /** The proxy's own result for a command: inside MULTI it is queued and comes back in EXEC's array. */
    private void answer(Buffer result) {
        if (inMulti) {
            multiQueue.add(new ExecReplyRewrite.Queued(result, null));
            reply(Replies.QUEUED, false);
        } else {
            reply(result, false);
        }
    }

    private void forwardBytes(Buffer bytes, PendingReply expect) {
        flushRun();
        backend.write(bytes);
        if ((repliesOff || skipNextReply) && expect.kind != PendingReply.Kind.SWALLOW) {
            skipNextReply = false;  // the engine will not answer this one
            return;
        }
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
        if (repliesOff || skipNextReply) {
            if (skipNextReply) {
                // The engine skips the reply of the next command it sees: let that be a PING.
                skipNextReply = false;
                flushRun();
                backend.write(PING);
            }
            if (!closeAfter) {
                return;
            }
            reply = Buffer.buffer();
        }
        if (pending.isEmpty() || (monitoring && specialPending == 0)) {
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
    private boolean closeAfterOut;

    private void onBackendData(Buffer data) {
        if (subscribed) {
            deliverSubscribed(data);
        } else {
            deliverCounted(data, 0, false);
        }
        if (out != null) {
            writeToClient(out);
            out = null;
            outOwned = false;
        }
        if (closeAfterOut) {
            client.close();
        }
        TrafficShaper shaper = owner.policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            throttleBackend(wait);
        }
    }

    /**
     * Engine output outside pub/sub mode, or one reply frame in it ({@code oneFrame}): replies are
     * counted against what the client is owed.
     */
    private void deliverCounted(Buffer data, int from, boolean oneFrame) {
        int pos = from;
        int len = data.length();
        while (true) {
            PendingReply head = pending.peekFirst();
            while (head != null && (head.kind == PendingReply.Kind.LOCAL || head.kind == PendingReply.Kind.MODE)) {
                if (head.kind == PendingReply.Kind.LOCAL) {
                    emit(head.local);
                    closeAfterOut |= head.closeAfter;
                } else {
                    subscribed = head.subscribed;
                }
                popPending();
                head = pending.peekFirst();
            }
            if (pos >= len) {
                return;
            }
            if (subscribed && !oneFrame) {
                deliverSubscribed(pos == 0 ? data : data.slice(pos, len));
                return;
            }
            if (monitoring && specialPending == 0) {
                pending.clear();
                emit(pos == 0 ? data : data.slice(pos, len));
                return;
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
                            closeAfterOut = true;
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
    }

    /**
     * Engine output in pub/sub mode: split into whole frames; messages and (un)subscribe
     * confirmations go straight to the client, other frames are replies owed to commands.
     */
    private void deliverSubscribed(Buffer data) {
        if (pubsubFrames == null) {
            pubsubFrames = new FrameSplitter();
        }
        Buffer rest = pubsubFrames.feedUntil(data, frame -> {
            switch (PubSubFrame.classify(frame)) {
                case PubSubFrame.PUBSUB -> emit(frame);
                case PubSubFrame.LAST_UNSUBSCRIBE -> {
                    emit(frame);
                    subscribed = false;
                }
                default -> deliverCounted(frame, 0, true);
            }
            return subscribed;
        });
        if (!subscribed) {
            pubsubFrames = null;
            if (rest != null && rest.length() > 0) {
                deliverCounted(rest, 0, false);
            }
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

    @Override
    public void closeAsync() {
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
