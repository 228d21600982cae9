package dev.kvsim.faults.command;

import dev.kvsim.faults.model.FaultSpec;

/**
 * {@code delay}: the command runs {@code delayMs} late, and the client's later commands wait
 * behind it, as behind a slow command on a single-threaded node; replies keep their order.
 */
public final class DelayFault extends CommandFault {

    private final long delayMs;

    public DelayFault(FaultSpec spec) {
        super(spec);
        this.delayMs = spec.longAttribute("delayMs", -1);
        if (delayMs < 0 || delayMs > 600_000) {
            throw new IllegalArgumentException("delay needs attributes.delayMs between 0 and 600000.");
        }
    }

    public long delayMs() {
        return delayMs;
    }

    @Override
    public <T> T apply(CommandEffects<T> effects) {
        return effects.delay(delayMs);
    }
}
