package dev.kvsim.limits;

import java.util.concurrent.atomic.LongAdder;

/**
 * What passed an instance's {@link TrafficShaper}, for monitoring: bytes in and out, and how often a cap
 * held a connection back (bandwidth, QPS). Running totals that the sampler reads; one per instance, kept
 * when a change of caps replaces the shaper. Adders, since every event loop of the instance counts: a
 * read adds one cell update, not a contended lock.
 */
public final class TrafficCounts {

    /** Counts nothing: monitoring is off ({@code kvsim.metrics.enabled=false}) or nobody reads them. */
    public static final TrafficCounts NONE = new TrafficCounts(false);

    private final boolean enabled;
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder bandwidthHolds = new LongAdder();
    private final LongAdder qpsHolds = new LongAdder();

    public TrafficCounts() {
        this(true);
    }

    private TrafficCounts(boolean enabled) {
        this.enabled = enabled;
    }

    void in(long bytes, boolean held) {
        if (enabled) {
            bytesIn.add(bytes);
            if (held) {
                bandwidthHolds.increment();
            }
        }
    }

    void out(long bytes, boolean held) {
        if (enabled) {
            bytesOut.add(bytes);
            if (held) {
                bandwidthHolds.increment();
            }
        }
    }

    void commands(boolean held) {
        if (enabled && held) {
            qpsHolds.increment();
        }
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Times the bandwidth cap stopped reading a connection (client or node side). */
    public long bandwidthHolds() {
        return bandwidthHolds.sum();
    }

    /** Times the QPS cap stopped reading a client. */
    public long qpsHolds() {
        return qpsHolds.sum();
    }
}
