package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;

/**
 * {@code limit_data}: once {@code bytes} bytes of the fault's direction have passed on a connection,
 * the rest is dropped and the connection closes, as a link cut in the middle of a transfer. With 0
 * bytes a connection closes as soon as the fault reaches it (when it opens, reads, writes or closes).
 */
public final class LimitDataFault extends NetworkFault {

    public static final String TYPE = "limit_data";

    private final long bytes;

    public LimitDataFault(FaultSpec spec) {
        super(spec);
        bytes = FaultAttributes.required(spec, "bytes", 0, 1L << 40);
    }

    @Override
    public Toxic newToxic(Random random) {
        return new Toxic() {
            private long left = bytes;

            @Override
            public void onAttach(ToxicPipe pipe) {
                if (left == 0) {
                    pipe.close(0);
                }
            }

            @Override
            public void onData(ByteBuf chunk, ToxicPipe pipe) {
                if (chunk.readableBytes() <= left) {
                    left -= chunk.readableBytes();
                    pipe.forward(chunk, 0);
                } else {
                    if (left > 0) {
                        pipe.forward(chunk.readRetainedSlice((int) left), 0);
                        left = 0;
                    }
                    pipe.drop(chunk);
                }
                if (left == 0) {
                    pipe.close(0);
                }
            }
        };
    }
}
