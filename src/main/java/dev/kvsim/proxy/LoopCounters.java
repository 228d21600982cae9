package dev.kvsim.proxy;

import dev.kvsim.commands.CommandKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The per-command counters of one instance on one event loop. Only that loop writes them, so an
 * increment is a plain store, with no atomic instruction and no shared cache line on the hot path
 * (a {@code LongAdder} would cost a CAS per command); the sampler sums every loop's with opaque reads.
 */
final class LoopCounters {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int ROUND_TRIPS = CommandKind.Family.values().length;
    private static final int ROUND_TRIP_NANOS = ROUND_TRIPS + 1;
    /** Padded to two cache lines, so that two loops' counters never share one. */
    private final long[] slots = new long[16];
    private final LongAccumulator maxLatency;

    LoopCounters(LongAccumulator maxLatency) {
        this.maxLatency = maxLatency;
    }

    void command(CommandKind.Family family) {
        add(family.ordinal(), 1);
    }

    void roundTrip(long nanos) {
        add(ROUND_TRIPS, 1);
        add(ROUND_TRIP_NANOS, nanos);
        maxLatency.accumulate(nanos);  // writes only when it is a new maximum
    }

    long commands(CommandKind.Family family) {
        return (long) SLOT.getOpaque(slots, family.ordinal());
    }

    long roundTrips() {
        return (long) SLOT.getOpaque(slots, ROUND_TRIPS);
    }

    long roundTripNanos() {
        return (long) SLOT.getOpaque(slots, ROUND_TRIP_NANOS);
    }

    /** Single writer: a read and an opaque store, which the sampler's opaque read sees. */
    private void add(int slot, long n) {
        SLOT.setOpaque(slots, slot, (long) SLOT.getOpaque(slots, slot) + n);
    }
}
