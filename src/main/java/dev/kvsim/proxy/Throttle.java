package dev.kvsim.proxy;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;

/** Holding a socket's reads back for as long as a cap asks, on the socket's event loop. */
public final class Throttle {

    private Throttle() {
    }

    /** Runs {@code then} on the context after {@code nanos} (at least a millisecond, the timer's unit). */
    public static void after(Context context, long nanos, Runnable then) {
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), t -> then.run());
    }

    /** Stops reading the socket for {@code nanos}. */
    public static void pause(NetSocket socket, Context context, long nanos) {
        socket.pause();
        after(context, nanos, socket::resume);
    }
}
