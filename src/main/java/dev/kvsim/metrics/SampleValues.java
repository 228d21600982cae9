package dev.kvsim.metrics;

import java.util.Arrays;
import java.util.List;

/** One second's values of a series being built, by key; a key left unset has no value (NaN). */
final class SampleValues {

    private final List<MetricKey> keys;
    private final float[] values;

    SampleValues(MetricScope.Level level) {
        this.keys = MetricKey.of(level);
        this.values = new float[keys.size()];
        Arrays.fill(values, Float.NaN);
    }

    /** Sets a key of this level; NaN and infinities (a division by nothing) leave it without a value. */
    SampleValues set(MetricKey key, double value) {
        int slot = keys.indexOf(key);
        if (slot < 0) {
            throw new IllegalArgumentException(key + " is not a key of this level");
        }
        values[slot] = Double.isFinite(value) ? (float) value : Float.NaN;
        return this;
    }

    double get(MetricKey key) {
        int slot = keys.indexOf(key);
        return slot < 0 ? Double.NaN : values[slot];
    }

    float[] toArray() {
        return values.clone();
    }
}
