package dev.kvsim.metrics;

import dev.kvsim.proxy.InstanceProxy;
import dev.kvsim.proxy.ProxyCounters;

import java.util.List;

/**
 * An instance's second: what its proxy counted (rates against the previous second's totals) and what its masters
 * hold (summed; CPU: the busiest master's, since one shard's engine thread is what saturates first).
 */
final class InstanceValues {

    private InstanceValues() {
    }

    /** The proxy's totals at one poll. */
    record ProxyReading(ProxyCounters.Totals totals, long atNanos) {
    }

    /** A master's poll this second, the previous one of its node (null: none) and the node's values. */
    record MasterPoll(NodeReading now, NodeReading before, SampleValues values) {
    }

    /** @param masters every shard's master, or empty when one of them could not be polled this second */
    static SampleValues of(InstanceProxy proxy, ProxyReading now, ProxyReading before, List<MasterPoll> masters) {
        SampleValues v = new SampleValues(MetricScope.Level.INSTANCE);
        int open = proxy.openSessions();
        int cap = proxy.policy().maxConnections();
        v.set(MetricKey.UsedConnection, open);
        if (cap > 0) {
            v.set(MetricKey.ConnectionUsage, 100.0 * open / cap);
        }
        if (before != null) {
            proxyRates(v, proxy, now, before);
        }
        if (!masters.isEmpty()) {
            nodeSums(v, masters);
        }
        return v;
    }

    private static void proxyRates(SampleValues v, InstanceProxy proxy, ProxyReading now, ProxyReading before) {
        double seconds = (now.atNanos() - before.atNanos()) / 1e9;
        if (seconds <= 0) {
            return;
        }
        ProxyCounters.Totals a = now.totals();
        ProxyCounters.Totals b = before.totals();
        long reads = a.reads() - b.reads();
        long writes = a.writes() - b.writes();
        long others = a.others() - b.others();
        v.set(MetricKey.UsedQPS, (reads + writes + others) / seconds);
        v.set(MetricKey.ReadQPS, reads / seconds);
        v.set(MetricKey.WriteQPS, writes / seconds);
        v.set(MetricKey.OtherQPS, others / seconds);
        double in = (a.bytesIn() - b.bytesIn()) / seconds;
        double out = (a.bytesOut() - b.bytesOut()) / seconds;
        v.set(MetricKey.IntranetIn, in / 1024);
        v.set(MetricKey.IntranetOut, out / 1024);
        var shaper = proxy.policy().shaper();
        if (shaper != null && shaper.bytesPerSecond() > 0) {
            v.set(MetricKey.IntranetInRatio, 100.0 * in / shaper.bytesPerSecond());
            v.set(MetricKey.IntranetOutRatio, 100.0 * out / shaper.bytesPerSecond());
        }
        long trips = a.roundTrips() - b.roundTrips();
        // no round trip this second: no wait either, as the service's charts show it
        v.set(MetricKey.AvgRt, trips > 0 ? (a.roundTripNanos() - b.roundTripNanos()) / 1000.0 / trips : 0);
        v.set(MetricKey.MaxRt, a.maxLatencyNanos() / 1000.0);
        v.set(MetricKey.BandwidthThrottled, (a.bandwidthHolds() - b.bandwidthHolds()) / seconds);
        v.set(MetricKey.QpsThrottled, (a.qpsHolds() - b.qpsHolds()) / seconds);
        v.set(MetricKey.WhitelistRefused, (a.whitelistRefused() - b.whitelistRefused()) / seconds);
        v.set(MetricKey.AuthRefused, (a.authRefused() - b.authRefused()) / seconds);
        v.set(MetricKey.ReservedRefused, (a.reservedRefused() - b.reservedRefused()) / seconds);
    }

    /** Memory and keys summed over the masters, which hold the data (replicas copy it). */
    private static void nodeSums(SampleValues v, List<MasterPoll> masters) {
        long used = 0;
        long quota = 0;
        long keys = 0;
        long expires = 0;
        long hits = 0;
        long lookups = 0;
        for (MasterPoll m : masters) {
            NodeInfo info = m.now().info();
            used += info.usedMemory();
            quota += info.maxMemory();
            keys += info.keys();
            expires += info.expires();
            if (m.before() != null && m.before().pid() == m.now().pid()) {
                NodeInfo b = m.before().info();
                long h = info.keyspaceHits() - b.keyspaceHits();
                hits += h;
                lookups += h + info.keyspaceMisses() - b.keyspaceMisses();
            }
        }
        v.set(MetricKey.UsedMemory, used);
        v.set(MetricKey.Keys, keys);
        v.set(MetricKey.Expires, expires);
        if (quota > 0) {
            v.set(MetricKey.QuotaMemory, quota);
            v.set(MetricKey.MemoryUsage, 100.0 * used / quota);
        }
        if (lookups > 0) {
            v.set(MetricKey.HitRate, 100.0 * hits / lookups);
        }
        v.set(MetricKey.EvictedKeys, sum(masters, MetricKey.EvictedKeys));
        v.set(MetricKey.ExpiredKeys, sum(masters, MetricKey.ExpiredKeys));
        v.set(MetricKey.CpuUsage, masters.stream().mapToDouble(m -> m.values().get(MetricKey.CpuUsage)).max().orElse(Double.NaN));
    }

    /** NaN when any master has no value (a partial sum would read as a drop). */
    private static double sum(List<MasterPoll> masters, MetricKey key) {
        double s = 0;
        for (MasterPoll m : masters) {
            s += m.values().get(key);
        }
        return s;
    }
}
