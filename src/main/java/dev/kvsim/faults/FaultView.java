package dev.kvsim.faults;

import dev.kvsim.faults.model.FaultMatch;
import dev.kvsim.faults.model.FaultTarget;

import java.time.Instant;
import java.util.Map;

/** A fault as the API shows it; {@code status} is Scheduled, Active or Ended. */
public record FaultView(String faultId, String instanceId, String type, FaultTarget target, String stream,
                        double toxicity, Map<String, Object> attributes, FaultMatch match, Instant startAt,
                        Long durationMs, long seed, FaultStatus status, Instant startedAt, Instant endedAt,
                        String endReason, boolean slaExcluded) {
}
