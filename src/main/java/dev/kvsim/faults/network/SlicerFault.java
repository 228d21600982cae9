package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;
import io.netty.buffer.ByteBuf;

import java.util.Random;

/**
 * {@code slicer}: each chunk is cut into slices of {@code averageSize} ± {@code sizeVariation}
 * bytes, sent {@code delayUs} apart, so that the reader gets a reply in many partial reads.
 */
public final class SlicerFault extends NetworkFault {

    public static final String TYPE = "slicer";

    private final int averageSize;
    private final int sizeVariation;
    private final long delayNanos;

    public SlicerFault(FaultSpec spec) {
        super(spec);
        averageSize = (int) FaultAttributes.required(spec, "averageSize", 1, 1 << 20);
        sizeVariation = (int) FaultAttributes.optional(spec, "sizeVariation", 0, 0, averageSize - 1);
        delayNanos = FaultAttributes.optional(spec, "delayUs", 0, 0, 60_000_000) * 1000;
    }

    @Override
    public Toxic newToxic(Random random) {
        return new Toxic() {
            /** When the last slice goes: the next chunk's slices follow it. */
            private long lastAt = Long.MIN_VALUE;

            @Override
            public void onData(ByteBuf chunk, ToxicPipe pipe) {
                long now = pipe.now();
                lastAt = Math.max(lastAt, now);
                while (chunk.isReadable()) {
                    int size = averageSize + (sizeVariation == 0 ? 0 : random.nextInt(-sizeVariation, sizeVariation + 1));
                    lastAt += delayNanos;
                    pipe.forward(chunk.readRetainedSlice(Math.min(size, chunk.readableBytes())), lastAt - now);
                }
                chunk.release();
            }
        };
    }
}
