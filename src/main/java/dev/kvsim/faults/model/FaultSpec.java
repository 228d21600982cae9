package dev.kvsim.faults.model;

import java.time.Instant;
import java.util.Map;

/**
 * A fault as requested through the API, validated: its type, target, direction ({@code stream}),
 * probability ({@code toxicity}), type attributes, command filter, schedule and random seed.
 */
public record FaultSpec(String faultId, String instanceId, String type, FaultTarget target, String stream,
                        double toxicity, Map<String, Object> attributes, FaultMatch match, Instant startAt,
                        Long durationMs, long seed) {

    public static final String UPSTREAM = "upstream";
    public static final String DOWNSTREAM = "downstream";

    /** A numeric attribute, or {@code fallback} when absent. */
    public long longAttribute(String name, long fallback) {
        Object v = attributes == null ? null : attributes.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("attributes." + name + " must be a number; got " + v + ".");
        }
        return n.longValue();
    }

    public String stringAttribute(String name, String fallback) {
        Object v = attributes == null ? null : attributes.get(name);
        return v == null ? fallback : v.toString();
    }

    public boolean isUpstream() {
        return UPSTREAM.equals(stream);
    }
}
