package dev.kvsim.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/**
 * An instance's throughput caps, as the service throttles: bandwidth (inbound + outbound together,
 * or each direction on its own) and, optionally, commands per second. Nothing is refused: callers
 * report what passed and get back how long to stop reading, so that throughput settles at the cap.
 * Each cap is a token bucket holding one second's worth, so bursts up to that pass at full speed.
 * Shared by every connection of the instance; lock-free. What passed is tallied in the instance's
 * {@link TrafficCounts} for monitoring.
 */
public final class TrafficShaper {

    /** 1 MB of the catalogue's MB/s figures. */
    public static final long MB = 1024L * 1024;
    /** Rates from one token per nanosecond up are not capped (a bucket refills at most that fast). */
    private static final long UNLIMITED = 1_000_000_000L;

    public enum BandwidthMode {
        /** One cap for inbound and outbound bytes together (the 2017 documentation's rule). */
        COMBINED,
        /** The cap applies to each direction separately (newer documentation). */
        PER_DIRECTION
    }

    private final Bucket upstream;
    private final Bucket downstream;
    private final Bucket commands;
    private final long bytesPerSecond;
    private final long commandsPerSecond;
    private final BandwidthMode mode;
    private final TrafficCounts counts;

    private TrafficShaper(Bucket upstream, Bucket downstream, Bucket commands, long bytesPerSecond, long commandsPerSecond,
                          BandwidthMode mode, TrafficCounts counts) {
        this.mode = mode;
        this.counts = counts;
        this.upstream = upstream;
        this.downstream = downstream;
        this.commands = commands;
        this.bytesPerSecond = bytesPerSecond;
        this.commandsPerSecond = commandsPerSecond;
    }

    /**
     * @param qps commands per second, or 0 for no command cap
     */
    public static TrafficShaper of(int bandwidthMBps, BandwidthMode mode, int qps) {
        return of(bandwidthMBps, mode, qps, TrafficCounts.NONE);
    }

    /**
     * @param qps    commands per second, or 0 for no command cap
     * @param counts where what passes is tallied (the instance's, which outlive a change of caps)
     */
    public static TrafficShaper of(int bandwidthMBps, BandwidthMode mode, int qps, TrafficCounts counts) {
        Bucket up = perSecond(bandwidthMBps * MB);
        Bucket down = mode == BandwidthMode.COMBINED ? up : perSecond(bandwidthMBps * MB);
        return new TrafficShaper(up, down, qps > 0 ? perSecond(qps) : null, bandwidthMBps * MB, qps, mode, counts);
    }

    /** The bandwidth cap in bytes per second (each direction's, or both together: {@link #mode()}). */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    public BandwidthMode mode() {
        return mode;
    }

    /** Whether both cap the same (then the one already counting traffic is kept). */
    public boolean sameCapsAs(TrafficShaper other) {
        return other != null && bytesPerSecond == other.bytesPerSecond && commandsPerSecond == other.commandsPerSecond
                && mode == other.mode;
    }

    /** A bucket refilling {@code amount} per second, or null (no cap) above what a bucket can count. */
    private static Bucket perSecond(long amount) {
        if (amount >= UNLIMITED) {
            return null;
        }
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(amount).refillGreedy(amount, Duration.ofSeconds(1)).build())
                .build();
    }

    /** Bytes read from a client. @return nanoseconds to stop reading from the client, 0 for none */
    public long upstream(long bytes) {
        long wait = take(upstream, bytes, bytesPerSecond);
        counts.in(bytes, wait > 0);
        return wait;
    }

    /** Bytes read from the engine for a client. @return nanoseconds to stop reading from the engine */
    public long downstream(long bytes) {
        long wait = take(downstream, bytes, bytesPerSecond);
        counts.out(bytes, wait > 0);
        return wait;
    }

    /** Commands read from a client. @return nanoseconds to stop reading from the client */
    public long commands(int count) {
        long wait = take(commands, count, commandsPerSecond);
        counts.commands(wait > 0);
        return wait;
    }

    /**
     * Takes what passed even beyond the tokens available; the debt is the wait. The bucket takes at
     * most its capacity per call, so a larger amount goes in capacity-sized parts.
     */
    private static long take(Bucket bucket, long amount, long capacity) {
        if (bucket == null) {
            return 0;
        }
        long wait = 0;
        for (long left = amount; left > 0; left -= capacity) {
            wait = bucket.consumeIgnoringRateLimits(Math.min(left, capacity));
        }
        return wait;
    }
}
