package dev.kvsim.metrics;

import java.util.Arrays;

/**
 * The last {@link #CAPACITY} one-second samples of a series, oldest overwritten first: each a stamp (epoch
 * second of kvsim's clock) and one float per key. Grows from a small array up to its capacity, so that a
 * short-lived instance costs little; at most {@code CAPACITY * (8 + 4 * keys)} bytes. Not thread-safe: its
 * {@link Series} guards it.
 */
final class SecondRing {

    /** An hour of samples, one a second. */
    static final int CAPACITY = 3600;
    private static final int INITIAL = 64;

    private final int keys;
    private long[] stamps = new long[INITIAL];
    private float[] values;
    /** Index of the next write. */
    private int head;
    private int size;

    SecondRing(int keys) {
        this.keys = keys;
        this.values = new float[INITIAL * keys];
    }

    /** Appends a sample (NaN: no value for that key). Stamps only grow; an equal or older one replaces nothing. */
    void add(long stamp, float[] sample) {
        if (size > 0 && stamp <= stamps[index(size - 1)]) {
            return;
        }
        if (size == stamps.length && stamps.length < CAPACITY) {
            grow();
        }
        stamps[head] = stamp;
        System.arraycopy(sample, 0, values, head * keys, keys);
        head = (head + 1) % stamps.length;
        size = Math.min(size + 1, stamps.length);
    }

    private void grow() {
        int capacity = Math.min(CAPACITY, stamps.length * 2);
        long[] s = new long[capacity];
        float[] v = new float[capacity * keys];
        for (int i = 0; i < size; i++) {
            int from = index(i);
            s[i] = stamps[from];
            System.arraycopy(values, from * keys, v, i * keys, keys);
        }
        stamps = s;
        values = v;
        head = size % capacity;
    }

    int size() {
        return size;
    }

    /** The i-th sample's stamp, oldest first. */
    long stamp(int i) {
        return stamps[index(i)];
    }

    float value(int i, int key) {
        return values[index(i) * keys + key];
    }

    /** The first sample at or after {@code stamp} (size() when none): stamps are in order. */
    int firstAtOrAfter(long stamp) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (stamp(mid) < stamp) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Bytes held now (the arrays, not the object headers). */
    long bytes() {
        return stamps.length * 8L + values.length * 4L;
    }

    private int index(int i) {
        int oldest = size < stamps.length ? 0 : head;
        return (oldest + i) % stamps.length;
    }

    @Override
    public String toString() {
        return "SecondRing" + Arrays.toString(new int[]{size, stamps.length});
    }
}
