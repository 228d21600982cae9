package dev.kvsim.faults.network;

import io.netty.buffer.ByteBuf;

/**
 * One network fault acting on one direction of one connection, with its own state (a byte count,
 * a random source): it sees each chunk of bytes in order and decides, through the {@link ToxicPipe},
 * when (and whether) the bytes go on and whether the connection closes.
 */
public interface Toxic {

    /** A chunk passes; the toxic forwards it (possibly later, sliced, or not at all) or drops it. */
    void onData(ByteBuf chunk, ToxicPipe pipe);

    /** The proxy closes the connection (only seen on the direction the proxy writes); the toxic may delay it. */
    default void onClose(ToxicPipe pipe) {
        pipe.close(0);
    }

    /** Called once when the toxic is first applied to the connection, so that a timer may start here. */
    default void onAttach(ToxicPipe pipe) {
    }
}
