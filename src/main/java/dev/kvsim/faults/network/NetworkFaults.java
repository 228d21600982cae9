package dev.kvsim.faults.network;

import dev.kvsim.faults.model.Fault;
import dev.kvsim.faults.model.FaultSet;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/** What the proxy asks when it accepts a client connection, for {@code refuse_connections}. */
public final class NetworkFaults {

    private NetworkFaults() {
    }

    /**
     * Whether a new client connection of logical proxy {@code proxyIndex} (0 for a standard instance)
     * is to be refused: an active {@link RefuseConnectionsFault} applies to it and draws it (toxicity).
     */
    public static boolean refuses(FaultSet faults, int proxyIndex) {
        if (faults.isEmpty()) {
            return false;
        }
        Link link = Link.client(proxyIndex);
        for (Fault fault : faults.active()) {
            if (fault instanceof RefuseConnectionsFault refuse && refuse.appliesTo(link) && refuse.drawForConnection()) {
                return true;
            }
        }
        return false;
    }

    /** Closes an accepted socket at once with a TCP RST, as a refused connection looks to the client. */
    public static void reset(NetSocket socket) {
        Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }
}
