package dev.kvsim.faults;

import dev.kvsim.faults.model.FaultMatch;
import dev.kvsim.faults.model.FaultTarget;

import java.time.Instant;
import java.util.Map;

/**
 * {@code POST …/faults}: only {@code type} is required (admin-api.md "HA and faults").
 * {@code slaExcluded}: the outage it causes does not count against the SLA (default false: an
 * injected failure stands for the provider's).
 */
public record FaultRequest(String type, FaultTarget target, String stream, Double toxicity,
                           Map<String, Object> attributes, FaultMatch match, Instant startAt, Long durationMs,
                           Long seed, Boolean slaExcluded) {
}
