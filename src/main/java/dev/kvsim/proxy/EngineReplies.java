package dev.kvsim.proxy;

import dev.kvsim.resp.FrameSplitter;
import dev.kvsim.resp.PubSubFrame;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespReplyScanner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The reply side of a standard session: what the engine sends goes to the client as it comes,
 * counted against the replies the client is owed ({@link PendingReply}), so that an answer the
 * proxy makes itself leaves in its turn, a reply to kvsim's own command is dropped, and a reply to
 * rewrite is collected whole. Knows pub/sub mode (messages are not replies), MONITOR (nothing is
 * counted) and CLIENT REPLY OFF|SKIP (nothing is owed). Confined to the session's event loop.
 */
final class EngineReplies {

    private static final Buffer PING = Resp.command("PING");
    private static final Buffer RESET_REPLY = Resp.simple("RESET");

    private final NetSocket client;
    private final EngineWriter engine;
    /** Logs why the connection closes where the client only sees it close. */
    private final Consumer<String> closedBecause;
    private final RespReplyScanner scanner = new RespReplyScanner();
    private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
    /** Entries of {@link #pending} that are not plain forwards. */
    private int specialPending;
    /** Runs after each write to the client: back-pressure once its write queue is full. */
    private final Runnable afterWrite;
    /** MONITOR: the engine talks unprompted until the connection ends or RESET; replies are not counted. */
    private boolean monitoring;
    /** RESET was sent in MONITOR mode: the monitor stream goes to the client until the engine's +RESET. */
    private FrameSplitter leavingMonitor;
    /** The engine's output is in pub/sub mode; pub/sub frames are not replies. */
    private boolean subscribed;
    /** Splits the engine's output into frames while {@link #subscribed}. */
    private FrameSplitter pubsubFrames;
    /** Tells those frames' pub/sub frames from replies while {@link #subscribed}. */
    private PubSubFrame pubsubKinds;
    /** What one engine read sends to the client, so that it leaves in one write. */
    private Buffer out;
    private boolean outOwned;
    private boolean closeAfterOut;
    /** CLIENT REPLY OFF / SKIP: the engine (and so the proxy) answers nothing. */
    private boolean off;
    private boolean skipNext;

    EngineReplies(NetSocket client, EngineWriter engine, Consumer<String> closedBecause, Runnable afterWrite) {
        this.client = client;
        this.engine = engine;
        this.closedBecause = closedBecause;
        this.afterWrite = afterWrite;
    }

    /** CLIENT REPLY ON, OFF or SKIP, as the engine applies it; RESET turns replies on again. */
    void clientReply(String mode) {
        switch (mode) {
            case "off" -> off = true;
            case "skip" -> skipNext = !off;
            default -> {
                off = false;
                skipNext = false;
            }
        }
    }

    /** One more engine reply the client is owed (none while replies are off); consecutive ones share one entry. */
    void owedFromEngine() {
        if (silenced()) {
            return;
        }
        PendingReply tail = pending.peekLast();
        if (tail != null && tail.kind == PendingReply.Kind.FORWARD) {
            tail.count++;
        } else {
            expect(PendingReply.forward());
        }
    }

    /** A reply to kvsim's own command or one to rewrite (none while replies are off, but kvsim's own). */
    void expect(PendingReply p) {
        if (p.kind != PendingReply.Kind.SWALLOW && silenced()) {
            return;
        }
        mark(p);
    }

    /** A point in the reply stream (pub/sub mode starts or ends), or an entry whatever the reply mode. */
    void mark(PendingReply p) {
        pending.addLast(p);
        if (p.kind != PendingReply.Kind.FORWARD) {
            specialPending++;
        }
    }

    void startMonitoring() {
        monitoring = true;
    }

    boolean isMonitoring() {
        return monitoring;
    }

    /**
     * RESET was sent in MONITOR mode. The engine's +RESET comes somewhere in the monitor stream (whose
     * lines all start with a timestamp, so it is told apart); until then everything goes to the client
     * as it comes, and after it replies are counted again against what was owed since the RESET.
     */
    void leaveMonitor() {
        leavingMonitor = new FrameSplitter();
        for (PendingReply p : pending) {
            if (p.kind == PendingReply.Kind.LOCAL) {
                write(p.local);  // owed before the RESET: the proxy's answers in MONITOR mode leave as they come
            }
        }
        pending.clear();
        specialPending = 0;
    }

    /** Whether the engine answers nothing to the next command: replies are off, or the one skipped (now used). */
    private boolean silenced() {
        boolean silent = off || skipNext;
        skipNext = false;
        return silent;
    }

    /**
     * A reply the proxy makes: written now if nothing is owed before it, else in its turn; nothing
     * while replies are off (a last reply still closes the connection).
     */
    void local(Buffer reply, boolean closeAfter) {
        if (off || skipNext) {
            if (skipNext) {
                // The engine skips the reply of the next command it sees: let that be a PING.
                skipNext = false;
                engine.write(PING);
            }
            if (!closeAfter) {
                return;
            }
            reply = Buffer.buffer();
        }
        if (pending.isEmpty() || (monitoring && specialPending == 0)) {
            write(reply);
            if (closeAfter) {
                Closing.close(client);
            }
        } else {
            expect(PendingReply.local(reply, closeAfter));
        }
    }

    /**
     * What one read from the engine brought, on its way to the client.
     *
     * @return true when the connection is to end (the engine refused kvsim's login, or a last reply went out)
     */
    boolean fromEngine(Buffer data) {
        Buffer counted = leavingMonitor == null ? data : monitorUntilReset(data);
        if (counted != null && subscribed) {
            deliverSubscribed(counted);
        } else if (counted != null) {
            deliverCounted(counted, 0, false);
        }
        if (out != null) {
            write(out);
            out = null;
            outOwned = false;
        }
        if (closeAfterOut) {
            Closing.close(client);
        }
        return closeAfterOut;
    }

    /** Monitor output up to and with the engine's +RESET; what follows it, or null when it has not come yet. */
    private Buffer monitorUntilReset(Buffer data) {
        Buffer rest = leavingMonitor.feedUntil(data, frame -> {
            emit(frame);
            return !frame.equals(RESET_REPLY);
        });
        if (rest == null) {
            return null;
        }
        leavingMonitor = null;
        monitoring = false;
        return rest.length() == 0 ? null : rest;
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
                            if (Replies.isMaxClients(data.slice(pos, end))) {
                                // the node is full (its maxclients): the client reads the engine's text
                                emit(data.slice(pos, end));
                                closedBecause.accept("the master node has its maxclients connections");
                            } else {
                                // kvsim's own login failed: the client sees its connection close, as when a node drops it
                                closedBecause.accept("the master node refused kvsim's credentials");
                            }
                            pending.clear();
                            specialPending = 0;
                            return;
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
            pubsubKinds = new PubSubFrame();
        }
        Buffer rest = pubsubFrames.feedUntil(data, frame -> {
            switch (pubsubKinds.classify(frame)) {
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
            pubsubKinds = null;
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

    private void write(Buffer b) {
        client.write(b);
        afterWrite.run();
    }
}
