package dev.kvsim.proxy;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import dev.kvsim.resp.RespProtocolException;
import dev.kvsim.access.Authenticator;
import dev.kvsim.limits.TrafficShaper;
import dev.kvsim.faults.network.Link;
import dev.kvsim.faults.network.NetworkFaultHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

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

    private static final Buffer NOTHING = Buffer.buffer(0);

    private final InstanceProxy owner;
    private final CommandGate gate;
    private final NetSocket client;
    private final Context context;
    private NetSocket backend;

    private final RespCommandParser parser = new RespCommandParser();
    private final EngineWriter engine = new EngineWriter();
    private final EngineReplies replies;
    private final MultiState multi = new MultiState();
    private final ReadHolds holds;
    private final CommandMeter meter;

    private boolean authenticated;
    /** Asked by the parser before each command: the limits before AUTH apply until the AUTH has run. */
    private final BooleanSupplier authState = () -> authenticated;
    private final EngineLogins logins;
    private boolean closing;
    private boolean closed;
    /** How long the QPS cap (or a delay fault) holds the client's next command back, in nanoseconds. */
    private long commandWait;
    /** A command a delay fault holds back; it runs when the wait ends, before the ones after it. */
    private Buffer heldCommand;

    public StandardSession(InstanceProxy owner, NetSocket client) {
        this.owner = owner;
        this.gate = new CommandGate(owner, false, java.util.Set.of());
        this.client = client;
        this.context = Vertx.currentContext();
        this.holds = new ReadHolds(context, client, owner.limits().outputLimit(), this::readHeld);
        this.replies = new EngineReplies(client, engine, owner::logClosed, holds::afterClientWrite);
        this.logins = new EngineLogins(owner, engine, replies, multi);
        this.meter = new CommandMeter(owner);
        this.authenticated = !owner.policy().authenticator().required();
    }

    @Override
    public void start(NetClient netClient) {
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        BackendTarget target = owner.routing().master();
        if (target == null) {
            owner.refuseUnserved(client, "the instance is not running yet");
            close();
            return;
        }
        netClient.connect(target.port(), "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                owner.nodeConnectionFailed(client, ar.cause());
                close();
                return;
            }
            owner.recordAttempt(true);
            backend = ar.result();
            owner.limits().descriptors().track(backend);
            engine.connected(backend);
            if (closed) {
                backend.close();
                return;
            }
            NetworkFaultHandler.install(backend, Link.backend(0, 0), owner.faults());
            backend.handler(this::onBackendData);
            backend.closeHandler(v -> engineClosed());
            backend.exceptionHandler(e -> close());
            holds.connected(backend);
            backend.write(owner.engineLogin(Authenticator.ENGINE_DEFAULT_USER, target));
            replies.mark(PendingReply.swallow());
            client.handler(this::onClientData);
            holds.readClient();
        });
    }

    // ---- client -> proxy -> engine -------------------------------------------------------------

    private void onClientData(Buffer data) {
        if (closing) {
            return;
        }
        try {
            parser.feed(data, authState, this::onCommand);
        } catch (RespProtocolException e) {
            // As the engine: its error (or nothing, past the query buffer limit), then the close.
            closing = true;
            owner.logClosed(e.getMessage());
            replies.local(e.reply(), true);
        }
        engine.flush();
        holds.afterEngineWrite();
        TrafficShaper shaper = owner.policy().shaper();
        long wait = Math.max(shaper == null ? 0 : shaper.upstream(data.length()), commandWait);
        commandWait = 0;
        if (wait > 0) {
            // Over the instance's bandwidth or QPS, or a delay fault: stop reading the client for a while (never refuse).
            holds.holdClient(wait);
        }
    }

    /** Nothing holds the client back any more: the command a delay fault held runs, then those the parser kept. */
    private void readHeld() {
        if (closed) {
            return;
        }
        if (heldCommand != null) {
            runHeldCommand();
        }
        onClientData(NOTHING);
    }

    /** @return false when the QPS cap (or a delay fault) says to hold the following commands back for a while */
    private boolean onCommand(RespCommand cmd) {
        if (closing) {
            return true;
        }
        meter.command(cmd);
        CommandGate.Verdict verdict = gate.check(cmd, authenticated, true);
        if (verdict instanceof CommandGate.Delay delay) {
            meter.awaitingReply();  // the delay is part of what the client waits
            // Run it late; the parser holds the commands after it, so replies keep their order.
            heldCommand = cmd.frame().copy();
            commandWait = TimeUnit.MILLISECONDS.toNanos(Math.max(1, delay.ms()));
            return false;
        }
        handle(cmd, verdict);
        TrafficShaper shaper = owner.policy().shaper();
        commandWait = shaper == null ? 0 : shaper.commands(1);
        // The parser keeps the rest while the QPS cap waits, or while the client's replies are past their bound.
        return commandWait == 0 && !holds.clientHeld();
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
        engine.flush();
    }

    private void handle(RespCommand cmd, CommandGate.Verdict verdict) {
        if (verdict instanceof CommandGate.Pass) {
            meter.awaitingReply();
            dispatch(cmd);
        } else if (verdict instanceof CommandGate.Refuse refuse) {
            refuse(refuse.reply());
        } else if (verdict instanceof CommandGate.Answer answer) {
            answer(answer.reply());
        } else if (verdict instanceof CommandGate.Fail fail) {
            answer(fail.reply());
        } else if (verdict instanceof CommandGate.Close close) {
            closing = true;
            replies.local(close.reply(), true);
        } else if (verdict instanceof CommandGate.Login login) {
            if (logins.switchesInMulti(login.engineUser())) {
                logins.queueAuth(login.engineUser());
            } else {
                logIn(login.engineUser());
                answer(Resp.OK);
            }
        } else if (verdict instanceof CommandGate.Hello hello) {
            hello(cmd, hello);
        } else {
            throw new IllegalStateException("a held command is not held again: " + verdict);
        }
    }

    /** A command the gate let through: forwarded, with the bookkeeping its kind needs. */
    private void dispatch(RespCommand cmd) {
        switch (cmd.name()) {
            case "config" -> forward(cmd, cmd.argLower(1).equals("get") ? ConfigGetMask.of(owner) : null);
            case "info", "command" -> forward(cmd, VersionReplies.of(cmd, owner.policy().version(), owner.routing().keySpecs()));
            case "multi" -> {
                forward(cmd);
                multi.begin();
            }
            case "exec" -> exec(cmd);
            case "discard" -> {
                forward(cmd);
                multi.end();
            }
            case "watch" -> forward(cmd);
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe" -> {
                if (multi.isOpen()) {
                    forward(cmd);
                } else {
                    // Answered by pub/sub frames, not by replies: mark where they start in the reply stream.
                    engine.flush();
                    replies.mark(PendingReply.mode(true));
                    engine.forward(cmd);
                }
            }
            case "monitor" -> {
                forward(cmd);
                replies.startMonitoring();
            }
            case "client" -> client(cmd);
            case "reset" -> reset(cmd);
            default -> forward(cmd);
        }
    }

    private void logIn(String engineUser) {
        logins.runAs(engineUser);
        authenticated = true;
    }

    /** HELLO: the gate checked its AUTH clause, which is not forwarded; the engine negotiates the rest. */
    private void hello(RespCommand cmd, CommandGate.Hello hello) {
        if (hello.engineUser() != null && logins.switchesInMulti(hello.engineUser())) {
            logins.queueHello(hello.engineUser(), hello.forward());
            return;
        }
        if (hello.engineUser() != null) {
            logIn(hello.engineUser());
        }
        UnaryOperator<Buffer> version = VersionReplies.hello(owner.policy().version());
        if (hello.forward().size() == cmd.argc()) {
            forward(cmd, version);
        } else if (version != null && !multi.isOpen()) {
            forwardTransformed(Resp.command(hello.forward()), version);
        } else {
            forwardBytes(Resp.command(hello.forward()), PendingReply.forward());
            multi.queued(version == null ? ExecReplyRewrite.Queued.engine() : new ExecReplyRewrite.Queued(null, version));
        }
    }

    private void exec(RespCommand cmd) {
        UnaryOperator<Buffer> rewrite = multi.execRewrite();
        String switching = multi.switchingTo();
        if (multi.aborts()) {
            // The engine never saw the refused command: discard, and answer as it would have.
            forwardTransformed(Resp.command("DISCARD"), reply -> Replies.EXECABORT);
        } else if (switching != null) {
            forwardTransformed(cmd.frame(), logins.execSwitching(switching, rewrite));
        } else if (rewrite != null) {
            forwardTransformed(cmd.frame(), rewrite);
        } else {
            forward(cmd);
        }
        multi.end();
    }

    /** CLIENT REPLY OFF|SKIP silence the engine; the proxy keeps count of what it will still answer. */
    private void client(RespCommand cmd) {
        String mode = cmd.argc() == 3 && cmd.argLower(1).equals("reply") && !multi.isOpen() ? cmd.argLower(2) : "";
        switch (mode) {
            case "off", "skip" -> {
                engine.forward(cmd);
                replies.clientReply(mode);
            }
            case "on" -> {
                replies.clientReply(mode);
                forward(cmd);
            }
            default -> forward(cmd);
        }
    }

    /** RESET also drops the engine connection's authentication: kvsim authenticates it again. */
    private void reset(RespCommand cmd) {
        replies.clientReply("on");
        if (replies.isMonitoring()) {
            // MONITOR output precedes the RESET reply: the reply side finds +RESET in it, then counts again.
            engine.forward(cmd);
            replies.leaveMonitor();
        } else {
            forward(cmd);
        }
        replies.mark(PendingReply.mode(false));
        multi.end();
        authenticated = !owner.policy().authenticator().required();
        logins.afterReset();
    }

    private void refuse(Buffer error) {
        multi.refused();
        replies.local(error, false);
    }

    /** Forwards a command whose reply the client is owed. */
    private void forward(RespCommand cmd) {
        engine.forward(cmd);
        multi.queued(ExecReplyRewrite.Queued.engine());
        replies.owedFromEngine();
    }

    /**
     * Forwards a command whose reply the client sees rewritten (CONFIG GET shows the instance's port, cap and no
     * passwords; INFO, COMMAND and HELLO the instance's version), unless {@code rewrite} is null; inside MULTI the
     * rewrite applies to the command's place in EXEC's reply.
     */
    private void forward(RespCommand cmd, UnaryOperator<Buffer> rewrite) {
        if (rewrite != null && !multi.isOpen()) {
            forwardTransformed(cmd.frame(), rewrite);
            return;
        }
        forward(cmd);
        if (rewrite != null) {
            multi.rewriteLast(rewrite);
        }
    }

    /** The proxy's own result for a command: inside MULTI it is queued and comes back in EXEC's array. */
    private void answer(Buffer result) {
        if (multi.isOpen()) {
            multi.queued(new ExecReplyRewrite.Queued(result, null));
            replies.local(Replies.QUEUED, false);
        } else {
            replies.local(result, false);
        }
    }

    private void forwardBytes(Buffer bytes, PendingReply expect) {
        engine.write(bytes);
        replies.expect(expect);
    }

    private void forwardTransformed(Buffer bytes, UnaryOperator<Buffer> transform) {
        forwardBytes(bytes, PendingReply.transform(transform));
    }

    // ---- engine -> proxy -> client -------------------------------------------------------------

    private void onBackendData(Buffer data) {
        meter.replied();
        if (replies.fromEngine(data)) {
            closing = true;
        }
        TrafficShaper shaper = owner.policy().shaper();
        long wait = shaper == null ? 0 : shaper.downstream(data.length());
        if (wait > 0) {
            holds.holdBackend(wait);
        }
    }

    @Override
    public Context context() {
        return context;
    }

    // ---- end ------------------------------------------------------------------------------------

    /**
     * The node closed the connection (it stopped, CLIENT KILL, or a subscriber past the engine's
     * pub/sub output limit): the client's closes too, as the engine would have closed it.
     */
    private void engineClosed() {
        if (!closed && !closing) {
            owner.logClosed("the node closed the client's connection to it");
        }
        close();
    }

    /** Ends both connections; closing again changes nothing. */
    @Override
    public void close() {
        closed = true;
        Closing.close(client);
        if (backend != null) {
            backend.close();
        }
        owner.sessionClosed(this);
    }
}
