package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code slow_close}: when the proxy closes the connection, the close reaches the peer
 * {@code delayMs} later. It acts on the proxy's writes: downstream on a client connection,
 * upstream on a connection to a shard.
 */
public final class SlowCloseFault extends NetworkFault {

    public static final String TYPE = "slow_close";

    private final long delayNanos;

    public SlowCloseFault(FaultSpec spec) {
        super(spec);
        delayNanos = TimeUnit.MILLISECONDS.toNanos(FaultAttributes.required(spec, "delayMs", 0, 600_000));
    }

    @Override
    public Toxic newToxic(Random random) {
        return new Toxic() {
            @Override
            public void onData(ByteBuf chunk, ToxicPipe pipe) {
                pipe.forward(chunk, 0);
            }

            @Override
            public void onClose(ToxicPipe pipe) {
                pipe.close(delayNanos);
            }
        };
    }
}
