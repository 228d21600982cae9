package dev.kvsim.metrics;

import java.util.Map;

/** One minute of one series, as stored: each key's value and how many second samples made it. */
public record MinuteRow(String instanceId, MetricScope scope, long minute, String role, int samples,
                        Map<MetricKey, Double> values) {
}
