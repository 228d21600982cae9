package dev.kvsim.metrics;

import java.util.List;

/**
 * One scope's history: the last hour of second samples and the minute in progress, which leaves (to be
 * stored) once kvsim's clock has passed it. Written by the sampler, read by queries and Prometheus; its
 * methods are synchronized (a sample a second, against the odd query).
 */
final class Series {

    private final String instanceId;
    private final MetricScope scope;
    private final List<MetricKey> keys;
    private final int[] slotOf = new int[MetricKey.values().length];
    private SecondRing seconds;
    private final MinuteAverage minute;
    private String role;
    /** {@link System#nanoTime()} of the latest sample, for telling a live value from a stale one. */
    private long latestAt;

    Series(String instanceId, MetricScope scope) {
        this.instanceId = instanceId;
        this.scope = scope;
        this.keys = MetricKey.of(scope.level());
        java.util.Arrays.fill(slotOf, -1);
        for (int i = 0; i < keys.size(); i++) {
            slotOf[keys.get(i).ordinal()] = i;
        }
        this.seconds = new SecondRing(keys.size());
        this.minute = new MinuteAverage(keys);
    }

    MetricScope scope() {
        return scope;
    }

    List<MetricKey> keys() {
        return keys;
    }

    /** The storage slot of a key, -1 when this level does not have it. */
    int slot(MetricKey key) {
        return slotOf[key.ordinal()];
    }

    synchronized String role() {
        return role;
    }

    /**
     * Adds the sample stamped {@code stamp} (epoch second of kvsim's clock; {@code values} by slot, NaN for
     * none). @return the minute it closed, to store, or null
     */
    synchronized MinuteRow add(long stamp, float[] values, String nodeRole) {
        role = nodeRole;
        latestAt = System.nanoTime();
        seconds.add(stamp, values);
        long m = Math.floorDiv(stamp, 60);
        MinuteRow closed = null;
        if (m != minute.minute()) {
            closed = closeMinute();
            minute.start(m);
        }
        minute.add(values, nodeRole);
        return closed;
    }

    /** Forgets the seconds and the minute in progress (kvsim's clock went back past them). */
    synchronized void clear() {
        seconds = new SecondRing(keys.size());
        minute.start(Long.MIN_VALUE);
    }

    /** The minute in progress if kvsim's clock has passed it (a series no longer sampled still stores it). */
    synchronized MinuteRow closeIfBefore(long currentMinute) {
        if (!minute.isEmpty() && minute.minute() < currentMinute) {
            MinuteRow closed = closeMinute();
            minute.start(currentMinute);
            return closed;
        }
        return null;
    }

    /** The minute in progress, whatever the clock says (kvsim stops). */
    synchronized MinuteRow closeNow() {
        MinuteRow closed = closeMinute();
        minute.start(Long.MIN_VALUE);
        return closed;
    }

    private MinuteRow closeMinute() {
        return minute.isEmpty() ? null : minute.toRow(instanceId, scope);
    }

    /** The latest value of a key, NaN when it has none or the series has not been sampled for {@code maxAgeNanos}. */
    synchronized double latest(MetricKey key, long maxAgeNanos) {
        int slot = slot(key);
        if (slot < 0 || seconds.size() == 0 || System.nanoTime() - latestAt > maxAgeNanos) {
            return Double.NaN;
        }
        return seconds.value(seconds.size() - 1, slot);
    }

    /** The latest sample's stamp, or Long.MIN_VALUE. */
    synchronized long latestStamp() {
        return seconds.size() == 0 ? Long.MIN_VALUE : seconds.stamp(seconds.size() - 1);
    }

    /** Calls {@code each} with every second sample stamped in [fromSecond, toSecond), oldest first. */
    synchronized void seconds(long fromSecond, long toSecond, SampleVisitor each) {
        for (int i = seconds.firstAtOrAfter(fromSecond); i < seconds.size(); i++) {
            long stamp = seconds.stamp(i);
            if (stamp >= toSecond) {
                return;
            }
            int index = i;
            each.visit(stamp, slot -> seconds.value(index, slot));
        }
    }

    synchronized long bytes() {
        return seconds.bytes();
    }

    @FunctionalInterface
    interface SampleVisitor {
        void visit(long stamp, SlotValues values);
    }

    @FunctionalInterface
    interface SlotValues {
        float value(int slot);
    }
}
