package dev.kvsim.faults.network;

import dev.kvsim.faults.network.ToxicStage.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a connection (the bytes its handler reads, or those it writes) through the
 * toxics acting on it, in the order the faults were added; the last stage hands over to Netty.
 * Bytes held back count towards the channel's back-pressure, so that a slowed direction slows its
 * producer instead of filling memory.
 */
final class ToxicChain {

    private static final long HIGH_WATER_BYTES = 4 << 20;
    private static final long LOW_WATER_BYTES = 2 << 20;
    /** The bit of the channel's user-defined writability the held-back written bytes clear. */
    private static final int WRITABILITY_BIT = 1;

    private final ChannelHandlerContext ctx;
    private final boolean inbound;
    private final List<ToxicStage> stages = new ArrayList<>();
    private long heldBytes;
    private boolean throttled;
    /** Something reached Netty outside of the handler's own events: it needs a flush or a read-complete. */
    private boolean handedOver;
    private boolean closed;

    ToxicChain(ChannelHandlerContext ctx, boolean inbound) {
        this.ctx = ctx;
        this.inbound = inbound;
    }

    /** No stage: what comes in goes straight to Netty. */
    boolean idle() {
        return stages.isEmpty();
    }

    boolean isClosed() {
        return closed;
    }

    /** The faults acting on this direction now: new ones get a stage (at the end), gone ones are retired. */
    void update(List<NetworkFault> acting) {
        if (closed) {
            return;
        }
        for (ToxicStage s : stages) {
            if (s.isLive() && !acting.contains(s.fault)) {
                s.retire();
            }
        }
        for (NetworkFault fault : acting) {
            if (stages.stream().noneMatch(s -> s.isLive() && s.fault == fault)) {
                ToxicStage stage = new ToxicStage(this, fault, fault.newToxic(new Random(fault.nextSeed())));
                stages.add(stage);
                stage.attach();
            }
        }
        stages.removeIf(ToxicStage::finished);
    }

    /** A read message, or a write and its promise ({@code null} for reads). */
    void submit(Object msg, ChannelPromise promise) {
        if (stages.isEmpty()) {
            handOver(Kind.PASS, msg, promise);
        } else if (msg instanceof ByteBuf) {
            passOn(null, Kind.DATA, msg, null);
            if (promise != null && !promise.isVoid()) {
                // completes once the bytes before it have really been written
                passOn(null, Kind.PASS, Unpooled.EMPTY_BUFFER, promise);
            }
        } else {
            passOn(null, Kind.PASS, msg, promise);
        }
    }

    /** The proxy closes the connection: the close goes through the toxics behind the bytes written before. */
    void submitClose() {
        passOn(null, Kind.END, null, null);
    }

    /** Hands what {@code from} (null: the handler) releases to the next stage, or to Netty after the last. */
    void passOn(ToxicStage from, Kind kind, Object msg, ChannelPromise promise) {
        int next = from == null ? 0 : stages.indexOf(from) + 1;
        if (next == stages.size()) {
            handOver(kind, msg, promise);
            return;
        }
        ToxicStage stage = stages.get(next);
        switch (kind) {
            case DATA -> stage.onData((ByteBuf) msg);
            case PASS -> stage.onPass(msg, promise);
            case END -> stage.onClose();
        }
    }

    private void handOver(Kind kind, Object msg, ChannelPromise promise) {
        if (kind == Kind.END) {
            ctx.flush();
            ctx.close();
            return;
        }
        if (inbound) {
            ctx.fireChannelRead(msg);
        } else if (promise == null) {
            ctx.write(msg);
        } else {
            ctx.write(msg, promise);
        }
        handedOver = true;
    }

    /** Runs a timer task on the channel's event loop, unless the connection is gone by then. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return ctx.executor().schedule(() -> {
            if (!closed) {
                task.run();
                endBatch();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** After a timer's work: what was handed to Netty is flushed (or its read completed). */
    private void endBatch() {
        if (handedOver) {
            handedOver = false;
            if (inbound) {
                ctx.fireChannelReadComplete();
            } else {
                ctx.flush();
            }
        }
        stages.removeIf(ToxicStage::finished);
    }

    /** Bytes held back changed: past the high-water mark the channel stops reading (or reports unwritable). */
    void queued(long delta) {
        heldBytes += delta;
        boolean over = heldBytes > (throttled ? LOW_WATER_BYTES : HIGH_WATER_BYTES);
        if (over == throttled) {
            return;
        }
        throttled = over;
        if (inbound) {
            ctx.channel().config().setAutoRead(!over);
        } else {
            ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
            if (buffer != null) {
                buffer.setUserDefinedWritability(WRITABILITY_BIT, !over);
            }
        }
    }

    /** Closes with a TCP RST: linger 0 makes the kernel send RST and drop what is unsent. */
    void reset() {
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    /** The peer has closed: what it sent before is delivered now, through the toxics but without waiting. */
    void releaseAll() {
        for (ToxicStage stage : List.copyOf(stages)) {
            stage.release(Long.MAX_VALUE);
        }
        endBatch();
    }

    /** The connection is gone: held bytes are freed and their writes failed; timers are called off. */
    void discard() {
        closed = true;
        stages.forEach(ToxicStage::discard);
        stages.clear();
    }
}
