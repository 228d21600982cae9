package dev.kvsim.proxy;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;

/**
 * Why one socket is not read now. Each reason holds it on its own: a cap for a while, the other
 * connection of a pair that cannot take more, the client's own unsent replies past their bound, a
 * command that waits. The socket is read again once no reason holds it, so that the end of one
 * never resumes a socket another still holds. Confined to the socket's event loop; a hold costs no
 * allocation (a cap's timer aside).
 */
public final class ReadPauses {

    /** Bandwidth, QPS or a delay fault: for a while. */
    public static final int CAP = 1;
    /** The other connection of the pair cannot take more: its write queue is full. */
    public static final int PEER_FULL = 1 << 1;
    /** The client has more replies unsent than its bound ({@code kvsim.proxy.client-output-limit}). */
    public static final int BACKLOG = 1 << 2;
    /** A command a delay fault holds back: the ones after it wait. */
    public static final int DELAYED = 1 << 3;
    /** The session waits (its node connection opening, an EXEC on its first shards): commands wait. */
    public static final int WAITING = 1 << 4;

    private final Context context;
    private final Runnable readOn;
    private NetSocket socket;
    private int reasons;
    /** Until when (System.nanoTime) the cap holds: a later cap extends an earlier one, never cuts it short. */
    private long capUntil;

    /**
     * @param readOn runs when the last reason ends, before the socket is read again: what the session
     *               held back (commands the parser kept) goes first, and may hold the socket again
     */
    public ReadPauses(Context context, Runnable readOn) {
        this.context = context;
        this.readOn = readOn;
    }

    /** For a socket that has nothing held back of its own. */
    public ReadPauses(Context context) {
        this(context, () -> { });
    }

    /** The socket, once it exists; the reasons held before apply to it at once. */
    public ReadPauses attach(NetSocket s) {
        socket = s;
        if (reasons != 0) {
            s.pause();
        }
        return this;
    }

    public void hold(int reason) {
        if (reasons == 0 && socket != null) {
            socket.pause();
        }
        reasons |= reason;
    }

    public void release(int reason) {
        if ((reasons & reason) == 0) {
            return;
        }
        reasons &= ~reason;
        if (reasons == 0) {
            readOn.run();
            if (reasons == 0 && socket != null) {
                socket.resume();
            }
        }
    }

    /** Holds the socket for {@code nanos} by {@link #CAP} (at least a millisecond, the timer's unit). */
    public void holdFor(long nanos) {
        long until = System.nanoTime() + nanos;
        if ((reasons & CAP) != 0) {
            if (until - capUntil > 0) {
                capUntil = until;  // the running timer sees the later end
            }
            return;
        }
        capUntil = until;
        hold(CAP);
        scheduleCapEnd(nanos);
    }

    private void scheduleCapEnd(long nanos) {
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), t -> {
            long left = capUntil - System.nanoTime();
            if (left > 500_000) {
                scheduleCapEnd(left);  // extended meanwhile
            } else {
                release(CAP);
            }
        });
    }

    public boolean held() {
        return reasons != 0;
    }
}
