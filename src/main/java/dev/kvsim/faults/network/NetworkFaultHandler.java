package dev.kvsim.faults.network;

import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.ProxyFaults;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the network faults of an instance's proxy to one of its connections, in Netty's pipeline
 * just before Vert.x's handler: what the handler reads is one direction, what it writes (and its
 * close) the other. While no fault is active and nothing is held back, every event passes straight
 * through. The connection draws each fault's toxicity once, when it first sees the fault, and gives
 * each fault it gets its own toxic state. A removed fault stops acting on the next chunk; bytes it
 * already holds still go out in order. Everything runs on the channel's event loop.
 *
 * <p>Faults are noticed on the connection's next read, write or close, and when the connection
 * opens. Those that act without data (a timeout's close, a reset) also wake the idle connections
 * when they start: every open connection is registered with its {@link ProxyFaults} for that.
 * When the peer closes, what the read direction still holds is delivered at once, before the close:
 * Netty takes the pipeline apart right after, so nothing could come later.
 */
public final class NetworkFaultHandler extends ChannelDuplexHandler {

    /** This handler's name in the pipeline. */
    public static final String NAME = "kvsim-network-faults";
    /** Vert.x's handler, which turns the channel's events into the socket's. */
    private static final String VERTX_HANDLER = "handler";

    private final Link link;
    private final ProxyFaults faults;
    /** Per fault seen: whether this connection got it (its toxicity, drawn once). */
    private final Map<NetworkFault, Boolean> drawn = new IdentityHashMap<>();
    /** The fault array last applied; {@link ProxyFaults} replaces the array on every change. */
    private Fault[] seen;
    private ChannelHandlerContext ctx;
    private ToxicChain inbound;
    private ToxicChain outbound;
    /** Takes up the faults now active on the connection's event loop, when the proxy's faults change. */
    private final Runnable takeUp;

    private NetworkFaultHandler(Link link, ProxyFaults faults) {
        this.link = link;
        this.faults = faults;
        this.takeUp = () -> ctx.executor().execute(() -> apply(faults.active()));
    }

    /** Puts the faults of {@code faults} that apply to {@code link} on the socket's connection. */
    public static void install(NetSocket socket, Link link, ProxyFaults faults) {
        ((NetSocketInternal) socket).channelHandlerContext().pipeline()
                .addBefore(VERTX_HANDLER, NAME, new NetworkFaultHandler(link, faults));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        inbound = new ToxicChain(ctx, true);
        outbound = new ToxicChain(ctx, false);
        faults.addConnection(takeUp);
        apply(faults.active());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        faults.removeConnection(takeUp);
        inbound.discard();
        outbound.discard();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Fault[] active = faults.active();
        if (active.length == 0 && inbound.idle()) {
            ctx.fireChannelRead(msg);
            return;
        }
        apply(active);
        inbound.submit(msg, null);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Fault[] active = faults.active();
        if (active.length == 0 && outbound.idle()) {
            ctx.write(msg, promise);
            return;
        }
        apply(active);
        outbound.submit(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        apply(faults.active());
        if (outbound.idle()) {
            ctx.close(promise);
            return;
        }
        // the close travels behind the held-back bytes and may be delayed (slow_close)
        ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
        outbound.submitClose();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbound.releaseAll();
        inbound.discard();
        outbound.discard();
        ctx.fireChannelInactive();
    }

    /** Brings both directions up to the faults now active, drawing toxicity for the new ones. */
    private void apply(Fault[] active) {
        if (active == seen || inbound.isClosed()) {
            return;
        }
        seen = active;
        drawn.keySet().retainAll(Arrays.asList(active));
        List<NetworkFault> reads = new ArrayList<>();
        List<NetworkFault> writes = new ArrayList<>();
        for (Fault fault : active) {
            if (fault instanceof NetworkFault nf && nf.appliesTo(link)) {
                boolean onReads = nf.actsOn(link, true);
                boolean onWrites = nf.actsOn(link, false);
                if ((onReads || onWrites) && drawn.computeIfAbsent(nf, NetworkFault::drawForConnection)) {
                    if (onReads) {
                        reads.add(nf);
                    }
                    if (onWrites) {
                        writes.add(nf);
                    }
                }
            }
        }
        inbound.update(reads);
        outbound.update(writes);
    }
}
