package dev.kvsim.faults.network;

import dev.kvsim.faults.model.FaultSpec;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: each chunk arrives {@code latencyMs} late, plus or minus a uniform
 * {@code jitterMs} (never early); chunks keep their order, as on a slow but reliable link.
 */
public final class LatencyFault extends NetworkFault {

    public static final String TYPE = "latency";

    private final long latencyNanos;
    private final long jitterNanos;

    public LatencyFault(FaultSpec spec) {
        super(spec);
        latencyNanos = TimeUnit.MILLISECONDS.toNanos(FaultAttributes.required(spec, "latencyMs", 0, 600_000));
        jitterNanos = TimeUnit.MILLISECONDS.toNanos(FaultAttributes.optional(spec, "jitterMs", 0, 0, 600_000));
    }

    @Override
    public Toxic newToxic(Random random) {
        return (chunk, pipe) -> {
            long jitter = jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1);
            pipe.forward(chunk, Math.max(0, latencyNanos + jitter));
        };
    }
}
