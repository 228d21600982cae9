package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code timeout}: the bytes of the fault's direction are lost while it lasts, as to a peer that
 * stalled; {@code timeoutMs} after the fault reaches a connection, the connection closes (0: never).
 */
public final class TimeoutFault extends NetworkFault {

    public static final String TYPE = "timeout";

    private final long timeoutNanos;

    public TimeoutFault(FaultSpec spec) {
        super(spec);
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(FaultAttributes.optional(spec, "timeoutMs", 0, 0, 3_600_000));
    }

    /** Idle connections get the fault too: their timer starts now. */
    @Override
    protected boolean actsOnIdleConnections() {
        return true;
    }

    @Override
    public Toxic newToxic(Random random) {
        return new Toxic() {
            @Override
            public void onData(ByteBuf chunk, ToxicPipe pipe) {
                pipe.drop(chunk);
            }

            @Override
            public void onAttach(ToxicPipe pipe) {
                if (timeoutNanos > 0) {
                    pipe.close(timeoutNanos);
                }
            }
        };
    }
}
