package dev.kvsim.faults.network;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link Toxic} acts through on one direction of one connection: the next toxic of the
 * direction, or the connection itself after the last one. All calls happen on the connection's event
 * loop; times are {@link System#nanoTime()} nanoseconds.
 */
public interface ToxicPipe {

    /**
     * Passes the chunk on after {@code delayNanos}, but never ahead of data forwarded earlier in this
     * direction: it goes at {@code max(previous release, now + delayNanos)}. Takes over the buffer.
     */
    void forward(ByteBuf chunk, long delayNanos);

    /** Drops the chunk (releases it), as a network losing it. */
    void drop(ByteBuf chunk);

    /** Closes the connection normally (FIN) after {@code delayNanos}, behind the data forwarded by then. */
    void close(long delayNanos);

    /** Closes the connection with a TCP RST after {@code delayNanos}; data still queued is lost. */
    void reset(long delayNanos);

    long now();
}
