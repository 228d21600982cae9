package dev.kvsim.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.core.ServiceError;
import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.instance.StoredNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An instance's slow log and running log, for both APIs: what the {@link LogCollector} gathered from the nodes, and
 * kvsim's own events from the event log, filtered by time (kvsim's clock), node, role, source and keyword; oldest
 * first.
 */
@ApplicationScoped
public class LogService {

    private final InstanceStore instances;
    private final EventStore events;
    private final LogCollector collector;
    private final ObjectMapper json;

    public LogService(InstanceStore instances, EventStore events, LogCollector collector, ObjectMapper json) {
        this.instances = instances;
        this.events = events;
        this.collector = collector;
        this.json = json;
    }

    /** What a query keeps: a range of kvsim's clock (either end null: open), a node, a keyword (any case). */
    public record Filter(Instant from, Instant to, String nodeId, String keyword) {

        boolean admits(Instant at, String node, String text) {
            return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to))
                    && (nodeId == null || nodeId.equals(node))
                    && (keyword == null || text.toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT)));
        }
    }

    public List<SlowLogRecord> slowLog(String instanceId, Filter filter) {
        check(instanceId, filter);
        return collector.buffers().slow(instanceId).stream()
                .filter(r -> filter.admits(r.executedAt(), r.nodeId(), r.commandLine()))
                .sorted(Comparator.comparing(SlowLogRecord::executedAt).thenComparing(SlowLogRecord::entryId))
                .toList();
    }

    /**
     * @param role   {@code master} or {@code replica}: only lines of nodes in that role when collected (kvsim's events
     *               have no role and are left out); null: all
     * @param source {@code kvsim}, {@code node}, or null for both
     */
    public List<RunningLogRecord> runningLog(String instanceId, Filter filter, String role, String source) {
        check(instanceId, filter);
        if (role != null && !role.equals("master") && !role.equals("replica")) {
            throw ServiceError.invalid("role must be master or replica; got '" + role + "'.");
        }
        if (source != null && !source.equals(RunningLogRecord.KVSIM) && !source.equals(RunningLogRecord.NODE)) {
            throw ServiceError.invalid("source must be kvsim or node; got '" + source + "'.");
        }
        List<RunningLogRecord> out = new ArrayList<>();
        if ((source == null || source.equals(RunningLogRecord.KVSIM)) && filter.nodeId() == null && role == null) {
            for (Event e : events.of(instanceId, filter.from())) {
                RunningLogRecord r = new RunningLogRecord(e.at(), RunningLogRecord.KVSIM, null, null, null, "notice",
                        e.type() + " " + details(e));
                if (filter.admits(r.at(), null, r.content())) {
                    out.add(r);
                }
            }
        }
        if (source == null || source.equals(RunningLogRecord.NODE)) {
            collector.buffers().lines(instanceId).stream()
                    .filter(r -> role == null || role.equals(r.role()))
                    .filter(r -> filter.admits(r.at(), r.nodeId(), r.content()))
                    .forEach(out::add);
        }
        out.sort(Comparator.comparing(RunningLogRecord::at));
        return out;
    }

    private String details(Event e) {
        try {
            return json.writeValueAsString(e.details());
        } catch (JsonProcessingException ex) {
            return String.valueOf(e.details());
        }
    }

    private void check(String instanceId, Filter filter) {
        StoredInstance i = instances.require(instanceId);
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw ServiceError.invalid("The start of the range (" + filter.from() + ") must be before its end ("
                    + filter.to() + ").");
        }
        if (filter.nodeId() != null && i.nodes().stream().noneMatch(n -> n.nodeId().equals(filter.nodeId()))) {
            throw ServiceError.invalid("The instance " + instanceId + " has no node '" + filter.nodeId() + "'; its nodes are "
                    + i.nodes().stream().map(StoredNode::nodeId).collect(Collectors.joining(", ")) + ".");
        }
    }
}
