package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Map;

/** An entry of an instance's event log: failovers, switchovers, faults started and ended, restarts … */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Event(long id, String instanceId, Instant at, String type, Map<String, Object> details) {
}
