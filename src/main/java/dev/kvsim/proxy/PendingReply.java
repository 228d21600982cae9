package dev.kvsim.proxy;

import io.vertx.core.buffer.Buffer;

import java.util.function.UnaryOperator;

/** A reply the client is owed, in command order: from the engine, or made by the proxy. */
final class PendingReply {

    enum Kind {
        /** {@code count} engine replies, forwarded as they are. */
        FORWARD,
        /** One engine reply to a command kvsim sent itself (internal AUTH): dropped. */
        SWALLOW,
        /** One engine reply, collected whole and rewritten before the client sees it. */
        TRANSFORM,
        /** A reply the proxy answered itself, held until the engine replies before it are out. */
        LOCAL,
        /**
         * No reply: the point in the reply stream where the connection enters ({@code subscribed})
         * or leaves pub/sub mode, after which pub/sub frames are told apart from replies.
         */
        MODE
    }

    final Kind kind;
    int count;
    final Buffer local;
    final boolean closeAfter;
    final UnaryOperator<Buffer> transform;
    final boolean subscribed;
    Buffer collected;

    private PendingReply(Kind kind, int count, Buffer local, boolean closeAfter, UnaryOperator<Buffer> transform) {
        this(kind, count, local, closeAfter, transform, false);
    }

    private PendingReply(Kind kind, int count, Buffer local, boolean closeAfter, UnaryOperator<Buffer> transform,
                         boolean subscribed) {
        this.subscribed = subscribed;
        this.kind = kind;
        this.count = count;
        this.local = local;
        this.closeAfter = closeAfter;
        this.transform = transform;
    }

    static PendingReply forward() {
        return new PendingReply(Kind.FORWARD, 1, null, false, null);
    }

    static PendingReply swallow() {
        return new PendingReply(Kind.SWALLOW, 1, null, false, null);
    }

    static PendingReply transform(UnaryOperator<Buffer> transform) {
        return new PendingReply(Kind.TRANSFORM, 1, null, false, transform);
    }

    static PendingReply local(Buffer reply, boolean closeAfter) {
        return new PendingReply(Kind.LOCAL, 0, reply, closeAfter, null);
    }

    static PendingReply mode(boolean subscribed) {
        return new PendingReply(Kind.MODE, 0, null, false, null, subscribed);
    }

    void collect(Buffer piece) {
        if (collected == null) {
            collected = Buffer.buffer(piece.length());
        }
        collected.appendBuffer(piece);
    }
}
