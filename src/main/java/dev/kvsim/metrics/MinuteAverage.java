package dev.kvsim.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The minute in progress of one series: per key the sum and count of its second samples (their average is
 * the minute's value) or their maximum ({@link MetricKey.Aggregation#MAX}).
 */
final class MinuteAverage {

    private final List<MetricKey> keys;
    private final double[] sum;
    private final int[] count;
    private long minute = Long.MIN_VALUE;
    private int samples;
    private String role;

    MinuteAverage(List<MetricKey> keys) {
        this.keys = keys;
        this.sum = new double[keys.size()];
        this.count = new int[keys.size()];
    }

    long minute() {
        return minute;
    }

    boolean isEmpty() {
        return samples == 0;
    }

    void start(long newMinute) {
        minute = newMinute;
        samples = 0;
        role = null;
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
    }

    void add(float[] sample, String nodeRole) {
        samples++;
        role = nodeRole;
        for (int k = 0; k < sum.length; k++) {
            float v = sample[k];
            if (Float.isNaN(v)) {
                continue;
            }
            if (keys.get(k).aggregation() == MetricKey.Aggregation.MAX) {
                sum[k] = count[k] == 0 ? v : Math.max(sum[k], v);
            } else {
                sum[k] += v;
            }
            count[k]++;
        }
    }

    /** The minute's values by key (keys without a sample left out). */
    MinuteRow toRow(String instanceId, MetricScope scope) {
        java.util.Map<MetricKey, Double> values = new java.util.EnumMap<>(MetricKey.class);
        for (int k = 0; k < sum.length; k++) {
            if (count[k] > 0) {
                values.put(keys.get(k), keys.get(k).aggregation() == MetricKey.Aggregation.MAX ? sum[k] : sum[k] / count[k]);
            }
        }
        return new MinuteRow(instanceId, scope, minute, role, samples, values);
    }
}
