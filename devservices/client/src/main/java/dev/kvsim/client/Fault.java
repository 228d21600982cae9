package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A fault as kvsim reports it ({@code GET /api/v1/faults/{faultId}}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Fault(String faultId, String instanceId, String type, Target target, String stream, double toxicity,
                    Map<String, Object> attributes, Match match, Instant startAt, Long durationMs, long seed,
                    String status, Instant startedAt, Instant endedAt, String endReason, boolean slaExcluded) {

    /** What a fault hits: the whole instance (all null), a shard, its master or replica, or one logical proxy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(Integer shard, String node, Integer proxy) {
    }

    /** Which commands a command fault applies to: names or {@code @write}/{@code @read}, and a key glob. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Match(List<String> commands, String keyPattern) {
    }
}
