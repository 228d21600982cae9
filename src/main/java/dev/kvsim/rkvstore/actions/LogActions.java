package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.logs.LogService;
import dev.kvsim.logs.RunningLogRecord;
import dev.kvsim.logs.SlowLogRecord;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Logs: DescribeSlowLogRecords (the nodes' SLOWLOG, collected by kvsim) and DescribeRunningLogRecords (kvsim's events
 * and the nodes' own log lines), paged as the service pages them (30, 50 or 100 records a page).
 */
@ApplicationScoped
public class LogActions implements RpcActions {

    private static final List<Integer> PAGE_SIZES = List.of(30, 50, 100);

    private final LogService logs;

    public LogActions(LogService logs) {
        this.logs = logs;
    }

    @Override
    public void register(ActionTable table) {
        table.add("DescribeSlowLogRecords", this::slow);
        table.add("DescribeRunningLogRecords", this::running);
    }

    /** No AccountName: the engine's slow log does not record the user (a client's CLIENT SETNAME is not its account). */
    public record SlowRecord(String command, Long elapsedTime, String executeTime, @JsonProperty("IPAddress") String ipAddress,
                             String nodeId) {
    }

    public record SlowItems(List<SlowRecord> logRecords) {
    }

    public record SlowPage(String engine, String instanceId, String startTime, Integer pageNumber, Integer pageSize,
                           Integer pageRecordCount, Integer totalRecordCount, SlowItems items) {
    }

    /**
     * {@code SlowLogRecordType} {@code db} (the default): the nodes' slow log; {@code proxy}: kvsim's proxy keeps none.
     * {@code OrderBy} {@code execution_time} (when, the default) or {@code latency_time} (how long); {@code OrderType}
     * {@code DESC} (the default) or {@code ASC}.
     */
    private SlowPage slow(RpcRequest r) {
        String id = r.instanceId();
        String startTime = r.required("StartTime");
        LogService.Filter filter = filter(r);
        String type = r.oneOf("SlowLogRecordType", "db", List.of("db", "proxy"));
        String orderBy = r.oneOf("OrderBy", "execution_time", List.of("execution_time", "latency_time"));
        String order = r.oneOf("OrderType", "DESC", List.of("ASC", "DESC", "asc", "desc"));
        List<SlowLogRecord> all = new ArrayList<>(MonitorActions.namingNode(() -> logs.slowLog(id, filter)));
        if (type.equals("proxy")) {
            all.clear();
        }
        Comparator<SlowLogRecord> by = orderBy.equals("latency_time") ? Comparator.comparingLong(SlowLogRecord::durationUs)
                : Comparator.comparing(SlowLogRecord::executedAt);
        all.sort(order.equalsIgnoreCase("ASC") ? by : by.reversed());
        Page page = page(r, all.size());
        List<SlowRecord> records = all.subList(page.from(), page.to()).stream()
                .map(s -> new SlowRecord(s.commandLine(), s.durationUs(), InstanceDescriptions.time(s.executedAt()),
                        host(s.clientAddress()), s.nodeId()))
                .toList();
        return new SlowPage("Redis", id, startTime, page.number(), page.size(), records.size(), all.size(), new SlowItems(records));
    }

    public record RunningRecord(String content, String createTime, String instanceId, String nodeId) {
    }

    public record RunningItems(List<RunningRecord> logRecords) {
    }

    public record RunningPage(String engine, String instanceId, String startTime, Integer pageNumber, Integer pageSize,
                              Integer pageRecordCount, Integer totalRecordCount, RunningItems items) {
    }

    /**
     * {@code CharacterType} {@code db}: the nodes' lines; {@code proxy}: kvsim's own events (its proxy and control
     * plane); absent: both. {@code RoleType} {@code master} or {@code slave}: the lines of nodes in that role.
     * {@code OrderType} {@code asc} (the default) or {@code desc}.
     */
    private RunningPage running(RpcRequest r) {
        String id = r.instanceId();
        String startTime = r.required("StartTime");
        LogService.Filter filter = filter(r);
        String character = r.oneOf("CharacterType", null, List.of("proxy", "db", "cs"));
        String roleType = r.oneOf("RoleType", null, List.of("master", "slave"));
        String order = r.oneOf("OrderType", "asc", List.of("asc", "desc", "ASC", "DESC"));
        String source = character == null ? null : character.equals("proxy") ? RunningLogRecord.KVSIM : RunningLogRecord.NODE;
        List<RunningLogRecord> all = new ArrayList<>(MonitorActions.namingNode(() -> logs.runningLog(id, filter,
                roleType == null ? null : roleType.equals("slave") ? "replica" : "master", source)));
        if ("cs".equals(character)) {
            all.clear();  // kvsim's instances have no config servers
        }
        if (order.equalsIgnoreCase("desc")) {
            java.util.Collections.reverse(all);
        }
        Page page = page(r, all.size());
        List<RunningRecord> records = all.subList(page.from(), page.to()).stream()
                .map(l -> new RunningRecord(l.content(), InstanceDescriptions.time(l.at()), id, l.nodeId()))
                .toList();
        return new RunningPage("Redis", id, startTime, page.number(), page.size(), records.size(), all.size(),
                new RunningItems(records));
    }

    /** StartTime and EndTime (required; {@code yyyy-MM-ddTHH:mmZ}), NodeId, QueryKeyword. */
    private static LogService.Filter filter(RpcRequest r) {
        Instant start = MonitorActions.time(r, "StartTime");
        Instant end = MonitorActions.time(r, "EndTime");
        if (!end.isAfter(start)) {
            throw RpcErrors.invalid("EndTime", "it must be later than StartTime (" + start + "); got " + end + ".");
        }
        return new LogService.Filter(start, end, r.string("NodeId"), r.string("QueryKeyword"));
    }

    private record Page(int number, int size, int from, int to) {
    }

    private static Page page(RpcRequest r, int total) {
        int size = r.integer("PageSize", 30, 1, 100);
        if (!PAGE_SIZES.contains(size)) {
            throw RpcErrors.invalid("PageSize", "it must be 30, 50 or 100; got " + size + ".");
        }
        int number = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
        int from = (int) Math.min(total, (long) (number - 1) * size);
        return new Page(number, size, from, Math.min(total, from + size));
    }

    /** The client's address as the node saw it, without the port. */
    private static String host(String address) {
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }
}
