package dev.kvsim.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

import java.util.concurrent.TimeUnit;

/**
 * Closes a client's connection. What was written to it leaves first, as the engine writes a last
 * reply before it closes; a client that does not take it within a grace period has it dropped and
 * the connection closed anyway, so that the socket of a client that never reads is not held open for
 * ever (Vert.x closes only once everything written has left).
 */
public final class Closing {

    static final long GRACE_MS = 5_000;

    private Closing() {
    }

    public static void close(NetSocket socket) {
        socket.close();
        Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (channel.isOpen() && unsent != null && unsent.totalPendingWriteBytes() > 0) {
            channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    channel.close();
                }
            }, GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }
}
