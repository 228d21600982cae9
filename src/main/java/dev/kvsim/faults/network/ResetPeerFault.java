package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code reset_peer}: {@code timeoutMs} after the fault reaches a connection (0: at once), the
 * connection is closed with a TCP RST, so that the client sees "connection reset by peer".
 */
public final class ResetPeerFault extends NetworkFault {

    public static final String TYPE = "reset_peer";

    private final long timeoutNanos;

    public ResetPeerFault(FaultSpec spec) {
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
                pipe.forward(chunk, 0);
            }

            @Override
            public void onAttach(ToxicPipe pipe) {
                pipe.reset(timeoutNanos);
            }
        };
    }
}
