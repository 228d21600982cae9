package dev.kvsim.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A metric query's answer, column by column as charts take it: {@code times[i]} is the start of the i-th interval
 * and {@code values.get(key).get(i)} its value, null where no sample fell (kvsim was not sampling, its clock jumped,
 * a node did not answer).
 *
 * @param level      {@code instance}, {@code shard} or {@code node}
 * @param resolution {@code second} (the last hour) or {@code minute} (the stored history)
 */
public record MetricsResult(String instanceId, String level, Integer shard, String nodeId, Instant from, Instant to,
                            long intervalSeconds, String resolution, Map<String, String> units, List<Instant> times,
                            Map<String, List<Double>> values) {
}
