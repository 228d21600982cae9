package dev.kvsim.metrics;

/**
 * One poll of a node: its INFO fields, the CPU seconds its process had used (-1: unknown) and when it was read
 * ({@link System#nanoTime()}), to rate against the previous poll of the same process.
 */
record NodeReading(long pid, NodeInfo info, double cpuSeconds, long atNanos) {

    /** The node's own series: gauges as read, rates against {@code before} (null: none yet, no rates). */
    SampleValues values(NodeReading before) {
        SampleValues v = new SampleValues(MetricScope.Level.NODE);
        v.set(MetricKey.UsedMemory, info.usedMemory());
        if (info.maxMemory() > 0) {
            v.set(MetricKey.QuotaMemory, info.maxMemory());
            v.set(MetricKey.MemoryUsage, 100.0 * info.usedMemory() / info.maxMemory());
        }
        // not kvsim's own two kept connections (this poll's, and the log collector's)
        v.set(MetricKey.UsedConnection, Math.max(0, info.connectedClients() - 2));
        v.set(MetricKey.Keys, info.keys());
        v.set(MetricKey.Expires, info.expires());
        if (before == null || before.pid != pid) {
            return v;  // a rate needs two polls of the same process
        }
        double seconds = (atNanos - before.atNanos) / 1e9;
        NodeInfo b = before.info;
        if (seconds <= 0 || info.commandsProcessed() < b.commandsProcessed()) {
            return v;  // the engine's totals went back: it restarted between the polls
        }
        // the previous poll's INFO is one of the commands counted since
        v.set(MetricKey.UsedQPS, Math.max(0, info.commandsProcessed() - b.commandsProcessed() - 1) / seconds);
        v.set(MetricKey.IntranetIn, (info.netInputBytes() - b.netInputBytes()) / 1024.0 / seconds);
        v.set(MetricKey.IntranetOut, (info.netOutputBytes() - b.netOutputBytes()) / 1024.0 / seconds);
        v.set(MetricKey.EvictedKeys, (info.evictedKeys() - b.evictedKeys()) / seconds);
        v.set(MetricKey.ExpiredKeys, (info.expiredKeys() - b.expiredKeys()) / seconds);
        long hits = info.keyspaceHits() - b.keyspaceHits();
        long lookups = hits + info.keyspaceMisses() - b.keyspaceMisses();
        if (lookups > 0) {
            v.set(MetricKey.HitRate, 100.0 * hits / lookups);
        }
        if (cpuSeconds >= 0 && before.cpuSeconds >= 0) {
            v.set(MetricKey.CpuUsage, 100.0 * (cpuSeconds - before.cpuSeconds) / seconds);
        }
        return v;
    }
}
