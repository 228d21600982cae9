package dev.kvsim.faults.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One fault's toxic on one direction of a connection, and the pipe it forwards into: a queue
 * released in order, so nothing overtakes earlier data. When the fault is removed the stage stays,
 * passing data through behind what it still holds, until its queue is empty.
 */
final class ToxicStage implements ToxicPipe {

    enum Kind {
        /** Bytes, seen by the toxics. */
        DATA,
        /** A message or a write's promise: passes the toxics by but keeps its place among the bytes. */
        PASS,
        /** The close of the connection. */
        END
    }

    private record Pending(Kind kind, Object msg, ChannelPromise promise, long releaseAt) {
    }

    final NetworkFault fault;
    private final ToxicChain chain;
    private final Toxic toxic;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The toxic's own close and reset timers. */
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private ScheduledFuture<?> releaseTimer;
    private long lastRelease = Long.MIN_VALUE;
    private boolean live = true;
    /** The proxy's close reached this stage: the close that follows is owed to the proxy, not to the fault. */
    private boolean proxyClosed;
    /** This stage has passed the close on: later bytes are dropped. */
    private boolean closing;

    ToxicStage(ToxicChain chain, NetworkFault fault, Toxic toxic) {
        this.chain = chain;
        this.fault = fault;
        this.toxic = toxic;
    }

    boolean isLive() {
        return live;
    }

    void attach() {
        toxic.onAttach(this);
    }

    void onData(ByteBuf chunk) {
        if (live) {
            toxic.onData(chunk, this);
        } else {
            forward(chunk, 0);
        }
    }

    void onPass(Object msg, ChannelPromise promise) {
        enqueue(Kind.PASS, msg, promise, now());
    }

    void onClose() {
        proxyClosed = true;
        if (live) {
            toxic.onClose(this);
        } else {
            close(0);
        }
    }

    @Override
    public void forward(ByteBuf chunk, long delayNanos) {
        if (closing || chain.isClosed()) {
            chunk.release();
            return;
        }
        enqueue(Kind.DATA, chunk, null, now() + Math.max(0, delayNanos));
    }

    @Override
    public void drop(ByteBuf chunk) {
        chunk.release();
    }

    @Override
    public void close(long delayNanos) {
        if (closing || chain.isClosed()) {
            return;
        }
        if (delayNanos > 0) {
            timers.add(chain.schedule(() -> close(0), delayNanos));
            return;
        }
        closing = true;
        enqueue(Kind.END, null, null, now());
    }

    @Override
    public void reset(long delayNanos) {
        timers.add(chain.schedule(chain::reset, Math.max(0, delayNanos)));
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    private void enqueue(Kind kind, Object msg, ChannelPromise promise, long at) {
        lastRelease = Math.max(lastRelease, at);
        if (queue.isEmpty() && lastRelease <= now()) {
            chain.passOn(this, kind, msg, promise);
            return;
        }
        queue.add(new Pending(kind, msg, promise, lastRelease));
        if (kind == Kind.DATA) {
            chain.queued(((ByteBuf) msg).readableBytes());
        }
        if (queue.size() == 1) {
            scheduleRelease();
        }
    }

    /** Passes on, in order, everything due by {@code upTo}. */
    void release(long upTo) {
        Pending p;
        while (!chain.isClosed() && (p = queue.peek()) != null && p.releaseAt <= upTo) {
            queue.poll();
            if (p.kind == Kind.DATA) {
                chain.queued(-((ByteBuf) p.msg).readableBytes());
            }
            chain.passOn(this, p.kind, p.msg, p.promise);
        }
        scheduleRelease();
    }

    private void scheduleRelease() {
        if (releaseTimer != null) {
            releaseTimer.cancel(false);
        }
        Pending head = queue.peek();
        releaseTimer = head == null ? null : chain.schedule(() -> {
            releaseTimer = null;
            release(now());
        }, head.releaseAt - now());
    }

    /** The fault was removed: the toxic stops acting, and a close it had planned is called off. */
    void retire() {
        live = false;
        if (proxyClosed) {
            return;
        }
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        closing = false;
        if (queue.removeIf(p -> p.kind == Kind.END)) {
            scheduleRelease();
        }
    }

    /** Retired and with nothing left to do: the chain may drop it. */
    boolean finished() {
        timers.removeIf(Future::isDone);
        return !live && queue.isEmpty() && timers.isEmpty();
    }

    /** The connection is gone: frees what is queued and fails the writes waiting on it. */
    void discard() {
        live = false;
        if (releaseTimer != null) {
            releaseTimer.cancel(false);
        }
        timers.forEach(t -> t.cancel(false));
        for (Pending p : queue) {
            ReferenceCountUtil.release(p.msg);
            if (p.promise != null) {
                p.promise.tryFailure(new ClosedChannelException());
            }
        }
        queue.clear();
    }
}
