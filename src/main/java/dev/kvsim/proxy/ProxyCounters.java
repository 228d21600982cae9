package dev.kvsim.proxy;

import dev.kvsim.commands.CommandKind;
import dev.kvsim.limits.TrafficCounts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance's proxy counters, which the monitoring sampler reads once a second as running totals:
 * commands by family and round-trip latency (counted per event loop, see {@link LoopCounters}), bytes
 * and cap holds ({@link TrafficCounts}, tallied by the shaper), and the requests the proxy refused.
 * With monitoring off nothing is counted and the hot path pays one branch.
 */
public final class ProxyCounters {

    private final boolean enabled;
    private final TrafficCounts traffic;
    private final Map<Thread, LoopCounters> loops = new ConcurrentHashMap<>();
    private final LongAdder whitelistRefused = new LongAdder();
    private final LongAdder authRefused = new LongAdder();
    private final LongAdder reservedRefused = new LongAdder();
    /** The longest round trip since the sampler last read it; only a new maximum writes it. */
    private final LongAccumulator maxLatency = new LongAccumulator(Math::max, 0);

    public ProxyCounters(boolean enabled) {
        this.enabled = enabled;
        this.traffic = enabled ? new TrafficCounts() : TrafficCounts.NONE;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Where the instance's shaper tallies bytes and holds. */
    public TrafficCounts traffic() {
        return traffic;
    }

    /** The counters of the calling event loop, for a connection it serves; null when monitoring is off. */
    LoopCounters forCurrentLoop() {
        return enabled ? loops.computeIfAbsent(Thread.currentThread(), t -> new LoopCounters(maxLatency)) : null;
    }

    /** A connection from an address the whitelist does not admit. */
    void whitelistRefused() {
        if (enabled) {
            whitelistRefused.increment();
        }
    }

    /** A command refused for want of authentication (NOAUTH), or a failed AUTH. */
    void authRefused() {
        if (enabled) {
            authRefused.increment();
        }
    }

    /** A command the service reserves or a parameter disables. */
    void reservedRefused() {
        if (enabled) {
            reservedRefused.increment();
        }
    }

    /** The running totals now; the longest round trip is the one since the previous snapshot. */
    public Totals snapshot() {
        long[] byFamily = new long[CommandKind.Family.values().length];
        long latencyCount = 0;
        long latencyNanos = 0;
        for (LoopCounters loop : loops.values()) {
            for (CommandKind.Family f : CommandKind.Family.values()) {
                byFamily[f.ordinal()] += loop.commands(f);
            }
            latencyCount += loop.roundTrips();
            latencyNanos += loop.roundTripNanos();
        }
        return new Totals(byFamily[CommandKind.Family.READ.ordinal()], byFamily[CommandKind.Family.WRITE.ordinal()],
                byFamily[CommandKind.Family.OTHER.ordinal()], traffic.bytesIn(), traffic.bytesOut(),
                traffic.bandwidthHolds(), traffic.qpsHolds(), whitelistRefused.sum(), authRefused.sum(),
                reservedRefused.sum(), latencyCount, latencyNanos, maxLatency.getThenReset());
    }

    /** Running totals since the proxy opened, except {@code maxLatencyNanos}: since the previous snapshot. */
    public record Totals(long reads, long writes, long others, long bytesIn, long bytesOut, long bandwidthHolds,
                         long qpsHolds, long whitelistRefused, long authRefused, long reservedRefused,
                         long roundTrips, long roundTripNanos, long maxLatencyNanos) {
    }
}
