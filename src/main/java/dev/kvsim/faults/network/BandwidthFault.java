package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;

/**
 * {@code bandwidth}: each direction of a connection carries at most {@code rateKBps} KiB per
 * second: a chunk leaves when the link has had the time to send it after the chunks before it.
 */
public final class BandwidthFault extends NetworkFault {

    public static final String TYPE = "bandwidth";

    private final long bytesPerSecond;

    public BandwidthFault(FaultSpec spec) {
        super(spec);
        bytesPerSecond = FaultAttributes.required(spec, "rateKBps", 1, 10_485_760) * 1024;
    }

    @Override
    public Toxic newToxic(Random random) {
        return new Pacer();
    }

    /** One direction's link, busy until {@code freeAt}. */
    private final class Pacer implements Toxic {

        /** A big chunk goes in slices of 100 ms worth, so that it streams instead of arriving at once. */
        private final int sliceBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytesPerSecond / 10));
        private long freeAt = Long.MIN_VALUE;

        @Override
        public void onData(ByteBuf chunk, ToxicPipe pipe) {
            long now = pipe.now();
            freeAt = Math.max(freeAt, now);
            if (chunk.readableBytes() <= sliceBytes) {
                freeAt += sendingNanos(chunk.readableBytes());
                pipe.forward(chunk, freeAt - now);
                return;
            }
            while (chunk.isReadable()) {
                int n = Math.min(sliceBytes, chunk.readableBytes());
                freeAt += sendingNanos(n);
                pipe.forward(chunk.readRetainedSlice(n), freeAt - now);
            }
            chunk.release();
        }

        private long sendingNanos(int bytes) {
            return bytes * 1_000_000_000L / bytesPerSecond;
        }
    }
}
