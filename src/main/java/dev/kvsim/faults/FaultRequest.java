package dev.kvsim.faults;

import dev.kvsim.faults.model.FaultMatch;
import dev.kvsim.faults.model.FaultTarget;

import java.time.Instant;
import java.util.Map;

/** {@code POST …/faults}: only {@code type} is required (admin-api.md "HA and faults"). */
public record FaultRequest(String type, FaultTarget target, String stream, Double toxicity,
                           Map<String, Object> attributes, FaultMatch match, Instant startAt, Long durationMs,
                           Long seed) {
}
